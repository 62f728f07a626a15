// The demo county's 办件 (issue 13): its 一窗受理 system as an integration, ~60 days of 办件 pushed
// through the real matters service, most rated through their one-time links or, at the windows of
// one department, on their 评价器 (a few with a 追评), some never rated. Reproducible (seeded), dated with the demo's clock like the rest of its history.
import type { Db } from '../db/client.js';
import { findUserByUsername } from '../db/queries/users.js';
import { DEMO_USERS } from '../db/seed.js';
import { chinaDay } from '../shared/china-time.js';
import type { Score } from '../shared/domain.js';
import type { Services } from './services.js';

const DAY = 86_400_000;

/** 事项 by department (names as a county's 事项清单 has them); others get the general ones. */
const TASKS: Record<string, string[]> = {
  县公安局: ['居民身份证申领', '户口迁移登记', '机动车驾驶证换证', '普通护照签发'],
  县税务局: ['增值税发票领用', '个人所得税综合所得汇算清缴', '税务登记信息变更', '开具完税证明'],
  县不动产登记中心: ['国有建设用地使用权及房屋所有权转移登记', '不动产抵押权首次登记', '不动产登记资料查询'],
  县人力资源和社会保障局: ['失业保险金申领', '养老保险关系转移接续', '就业创业证申领', '职工退休申请'],
  县行政审批服务局: ['企业设立登记', '食品经营许可', '公共场所卫生许可', '建设工程规划许可'],
  县市场监督管理局: ['个体工商户设立登记', '企业变更登记', '特种设备使用登记'],
  县医疗保障局: ['异地就医备案', '门诊慢特病待遇认定', '医疗费用手工报销'],
  县住房公积金管理中心: ['住房公积金提取', '住房公积金个人住房贷款'],
  县民政局: ['内地居民婚姻登记', '最低生活保障申请'],
};
const GENERAL_TASKS = ['政务服务咨询', '证明事项办理'];
const STAFF = ['张敏', '李娜', '王强', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰', '吴芳', '徐涛', '孙悦'];

export interface DemoMattersResult {
  matters: number;
  rated: number;
  /** Every rating given, 追评 included. */
  ratings: number;
  /** 差评 cases opened by 办件 ratings (moved on with the others by the caller). */
  badCases: Array<{ caseNo: string; ratingId: number; at: number }>;
  /** A finished 办件 of today, not rated yet, whose link works now. */
  openLink: string | null;
  /** The 评价器 address of one of the head's department's windows. */
  kioskUrl: string | null;
}

export async function seedDemoMatters(
  services: Services,
  db: Db,
  clock: { set(ms: number): void; now(): number },
  opts: { now: number; days: number; rand: () => number; quality: (departmentId: number) => number },
): Promise<DemoMattersResult> {
  const { rand } = opts;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const adminRow = await findUserByUsername(db, DEMO_USERS.admin.username);
  const admin = adminRow ? await services.auth.resolveActor(adminRow.id) : null;
  const result: DemoMattersResult = { matters: 0, rated: 0, ratings: 0, badCases: [], openLink: null, kioskUrl: null };
  if (!admin) return result;
  clock.set(opts.now - (opts.days + 1) * DAY);
  const { apiKey } = await services.integrations.create(admin, { name: '示例县一窗受理系统' });
  const caller = (await services.integrations.resolveKey(apiKey))!;
  const departments = new Map((await services.org.listDepartments(admin)).map((d) => [d.id, d.name]));
  // The windows of the county service centre (an office's own codes take no 办件 here).
  const windows = (await services.codes.list(admin, { active: true })).codes.filter((c) => /窗口$/.test(c.location));
  // The windows of the head's department have a 评价器: most of their 办件 are rated on it at once.
  const kioskDepartment = [...departments].find(([, name]) => name === DEMO_USERS.head.department)?.[0];
  const kioskTokens = new Map<string, string>();
  for (const w of windows.filter((c) => c.departmentId === kioskDepartment)) {
    const { url } = await services.kiosks.provision(admin, w.code);
    kioskTokens.set(w.code, url.slice(url.lastIndexOf('/') + 1));
    result.kioskUrl ??= url;
  }
  const cal = services.settings.calendar();
  let seq = 0;
  for (let d = opts.days; d >= 0; d--) {
    const day = chinaDay(opts.now - d * DAY);
    if (!cal.isWorkingDay(day)) continue;
    const dayStart = Date.parse(`${day}T08:30:00+08:00`);
    for (const w of windows) {
      const n = rand() < 0.3 ? 1 : 0;
      for (let i = 0; i < n; i++) {
        const acceptedAt = dayStart + Math.floor(rand() * 7 * 3600_000);
        const finishedAt = acceptedAt + Math.floor((0.2 + rand()) * 3600_000);
        if (finishedAt >= opts.now) continue;
        const deptName = departments.get(w.departmentId) ?? '';
        const tasks = TASKS[deptName] ?? GENERAL_TASKS;
        const k = Math.floor(rand() * tasks.length);
        const projectNo = `341122${day.replaceAll('-', '')}${String(++seq).padStart(5, '0')}`;
        const body = {
          code: w.code,
          taskCode: `341122-${String(w.departmentId).padStart(3, '0')}-${String(k + 1).padStart(4, '0')}`,
          taskName: tasks[k]!,
          staffName: w.staffName ?? STAFF[(w.departmentId * 7 + k) % STAFF.length]!,
          applicantType: rand() < 0.8 ? ('person' as const) : ('legal' as const),
          acceptedAt: new Date(acceptedAt).toISOString(),
          promisedDate: chinaDay(acceptedAt + 5 * DAY),
          source: 'window' as const,
        };
        clock.set(acceptedAt);
        await services.matters.put(caller, projectNo, { ...body, status: 'accepted' });
        clock.set(finishedAt);
        await services.matters.put(caller, projectNo, { ...body, status: 'finished', finishedAt: new Date(finishedAt).toISOString() });
        result.matters++;
        const link = await services.matters.ratingLink(caller, projectNo);
        // Today's last 办件 stays open for whoever tries the demo's link.
        if (d === 0) {
          result.openLink = link.url;
          continue;
        }
        const r = rand();
        if (r < 0.18) continue; // never rated (未评价)
        const token = link.url.slice(link.url.lastIndexOf('/') + 1);
        const q = opts.quality(w.departmentId);
        const kiosk = kioskTokens.get(w.code);
        const rateAt = async (at: number, score: Score, channel: 'link' | 'kiosk') => {
          clock.set(Math.round(Math.min(at, opts.now - 60_000)));
          const isBad = score <= 2;
          const { tags } = await services.settings.forDepartment(w.departmentId);
          const body = { score, tags: rand() < 0.5 ? [pick(isBad ? tags.bad : tags.good)] : [] };
          const answer =
            channel === 'kiosk' && kiosk
              ? await services.kiosks.rate(kiosk, { ...body, projectNo }, '127.0.0.1', 'demo')
              : await services.ratings.submitForMatter({ token, channel: 'link', body, ip: '127.0.0.1', userAgent: 'demo' });
          result.ratings++;
          if (answer.followUp) result.badCases.push({ caseNo: answer.followUp.caseNo, ratingId: answer.id, at: clock.now() });
        };
        const s = rand();
        const score: Score = s < q * 0.85 ? 5 : s < q ? 4 : s < q + (1 - q) * 0.4 ? 3 : s < q + (1 - q) * 0.7 ? 2 : 1;
        // At a window with a 评价器 most citizens tap it as they leave; the others use the link later.
        if (kiosk && rand() < 0.8) await rateAt(finishedAt + 30_000, score, 'kiosk');
        else await rateAt(finishedAt + Math.floor(rand() * 2 * 3600_000), score, 'link');
        result.rated++;
        // A few citizens come back within the week: a 追评, mostly after a 差评 was handled.
        if (rand() < (score <= 2 ? 0.5 : 0.03)) await rateAt(finishedAt + (1 + rand() * 4) * DAY, score <= 2 ? 4 : 3, 'link');
      }
    }
  }
  clock.set(opts.now);
  return result;
}
