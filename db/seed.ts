// The demo county: one city, one county (示例县), 40 departments and 308 codes spread as a real county
// spreads them — the departments in the 政务服务中心 get many window codes, small offices one or two.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { generateCodeId } from '../qr-codes/code-id.js';
import { SETTINGS_DEFAULTS } from '../shared/api/settings.js';
import { creditCheckChar, orgCheckChar } from '../shared/report-codes.js';
import { type Db, type DbOrTx, firstRow } from './client.js';
import { seedDemoGuides } from './demo-guides.js';
import { seedDemoSuggestions } from './demo-suggestions.js';
import { assignUserDepartments, insertDepartment, insertOrgUnit } from './queries/org.js';
import { upsertSetting } from './queries/settings.js';
import { insertUser } from './queries/users.js';
import { codes } from './schema.js';

interface DemoDepartment {
  name: string;
  /** Hall area in the county service centre, or null for a department that receives at its own office. */
  area: string | null;
  windows: number;
  /** Extra codes at the department's own office or sub-offices. */
  offices?: string[];
}

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  {
    name: '县公安局',
    area: 'A区',
    windows: 19,
    offices: [
      '城关派出所 户籍窗口',
      '城关派出所 身份证办理窗口',
      '县公安局交通管理大队 车驾管服务站 1号窗口',
      '县公安局交通管理大队 车驾管服务站 2号窗口',
      '县公安局交通管理大队 车驾管服务站 3号窗口',
      '县公安局交通管理大队 违法处理窗口',
      '出入境接待大厅 1号窗口',
      '出入境接待大厅 2号窗口',
    ],
  },
  {
    name: '县税务局',
    area: 'B区',
    windows: 20,
    offices: [
      '县税务局第一税务分局 办税服务厅 1号窗口',
      '县税务局第一税务分局 办税服务厅 2号窗口',
      '县税务局第一税务分局 办税服务厅 3号窗口',
      '县税务局第二税务分局 办税服务厅 1号窗口',
      '县税务局第二税务分局 办税服务厅 2号窗口',
      '县税务局 自助办税区',
    ],
  },
  { name: '县不动产登记中心', area: 'C区', windows: 18, offices: ['不动产登记中心 档案查询窗口', '不动产登记中心 自助查询机'] },
  {
    name: '县人力资源和社会保障局',
    area: 'D区',
    windows: 16,
    offices: [
      '县就业服务中心 求职登记窗口',
      '县就业服务中心 创业担保贷款窗口',
      '县劳动人事争议仲裁院 立案窗口',
      '县社会保险事业中心 1号窗口',
      '县社会保险事业中心 2号窗口',
      '县社会保险事业中心 3号窗口',
    ],
  },
  {
    name: '县行政审批服务局',
    area: 'E区',
    windows: 20,
    offices: ['行政审批服务局 帮办代办窗口', '行政审批服务局 “办不成事”反映窗口', '行政审批服务局 综合咨询台'],
  },
  {
    name: '县市场监督管理局',
    area: 'F区',
    windows: 16,
    offices: [
      '城关市场监管所 登记窗口',
      '县市场监督管理局 投诉举报窗口',
      '县市场监督管理局 食品经营许可窗口',
      '县市场监督管理局 特种设备窗口',
    ],
  },
  {
    name: '县医疗保障局',
    area: 'D区',
    windows: 12,
    offices: ['县医疗保障局 异地就医备案窗口', '县医疗保障局 医保报销窗口', '县医疗保障局 门诊慢特病窗口', '县医疗保障局 咨询台'],
  },
  { name: '县住房公积金管理中心', area: 'C区', windows: 8, offices: ['住房公积金管理中心 贷款窗口', '住房公积金管理中心 提取窗口'] },
  {
    name: '县自然资源局',
    area: 'C区',
    windows: 6,
    offices: ['县自然资源局 用地审批窗口', '县自然资源局 测绘成果窗口', '县自然资源局 规划许可窗口', '县自然资源局 信访接待室'],
  },
  {
    name: '县住房和城乡建设局',
    area: 'E区',
    windows: 6,
    offices: [
      '县住房和城乡建设局 施工许可窗口',
      '县住房和城乡建设局 房屋交易窗口',
      '县住房和城乡建设局 物业投诉窗口',
      '县住房和城乡建设局 燃气安全窗口',
    ],
  },
  { name: '县民政局', area: null, windows: 5, offices: ['县婚姻登记处 结婚登记窗口', '县婚姻登记处 离婚登记窗口', '县社会救助服务中心'] },
  {
    name: '县交通运输局',
    area: 'E区',
    windows: 4,
    offices: ['县交通运输局 道路运输窗口', '县交通运输局 出租车服务窗口', '县交通运输局 驾培管理窗口', '县交通运输局 路政许可窗口'],
  },
  {
    name: '县卫生健康委员会',
    area: 'F区',
    windows: 4,
    offices: [
      '县卫生健康委员会 出生医学证明窗口',
      '县卫生健康委员会 医师执业注册窗口',
      '县卫生健康委员会 母婴保健窗口',
      '县卫生健康委员会 公共场所卫生许可窗口',
    ],
  },
  { name: '县教育局', area: null, windows: 4, offices: ['县教育局 学籍管理窗口', '县教育局 教师资格认定窗口'] },
  {
    name: '县农业农村局',
    area: 'F区',
    windows: 3,
    offices: ['县农业农村局 农机购置补贴窗口', '县农业农村局 宅基地审批窗口', '县农业农村局 兽医证明窗口'],
  },
  {
    name: '市生态环境局县分局',
    area: 'F区',
    windows: 3,
    offices: ['县生态环境分局 环评审批窗口', '县生态环境分局 信访投诉窗口', '县生态环境分局 排污许可窗口'],
  },
  { name: '县退役军人事务局', area: null, windows: 4, offices: ['县退役军人服务中心 优抚窗口', '县退役军人服务中心 就业创业窗口'] },
  {
    name: '县司法局',
    area: null,
    windows: 2,
    offices: ['县公共法律服务中心 法律援助窗口', '县公共法律服务中心 人民调解窗口', '县公共法律服务中心 公证窗口', '城关司法所'],
  },
  { name: '县残疾人联合会', area: null, windows: 2, offices: ['县残疾人联合会 残疾人证办理窗口', '县残疾人联合会 康复服务窗口'] },
  { name: '县文化和旅游局', area: 'E区', windows: 2, offices: ['县文化和旅游局 演出许可窗口', '县文化和旅游局 旅游投诉窗口'] },
  { name: '县水利局', area: 'E区', windows: 2, offices: ['县水利局 取水许可窗口', '县水利局 河道管理窗口'] },
  { name: '县林业局', area: 'F区', windows: 2, offices: ['县林业局 林木采伐许可窗口', '县林业局 林权登记窗口'] },
  { name: '县应急管理局', area: 'E区', windows: 2, offices: ['县应急管理局 安全生产许可窗口', '县应急管理局 危化品经营许可窗口'] },
  { name: '县商务局', area: 'E区', windows: 2, offices: ['县商务局 对外贸易备案窗口', '县商务局 成品油零售窗口'] },
  { name: '县发展和改革委员会', area: 'E区', windows: 2, offices: ['县发展和改革委员会 项目备案窗口', '县发展和改革委员会 价格认定窗口'] },
  { name: '县财政局', area: null, windows: 2, offices: ['县财政局 非税收入窗口', '县财政局 政府采购窗口'] },
  {
    name: '国网县供电公司',
    area: 'G区',
    windows: 3,
    offices: ['县供电公司 城关供电所营业厅 1号窗口', '县供电公司 城关供电所营业厅 2号窗口', '县供电公司 自助缴费区'],
  },
  { name: '县自来水公司', area: 'G区', windows: 2, offices: ['县自来水公司 营业厅 1号窗口', '县自来水公司 营业厅 2号窗口'] },
  { name: '县燃气公司', area: 'G区', windows: 2, offices: ['县燃气公司 营业厅'] },
  { name: '县公共资源交易中心', area: null, windows: 2, offices: ['县公共资源交易中心 开标室'] },
  { name: '县城市管理局', area: null, windows: 2, offices: ['县城市管理局 户外广告审批窗口', '县城市管理局 投诉受理窗口'] },
  { name: '县信访局', area: null, windows: 1, offices: ['县人民来访接待中心 1号接待室', '县人民来访接待中心 2号接待室'] },
  { name: '县档案馆', area: null, windows: 1, offices: ['县档案馆 档案查阅室'] },
  { name: '县统计局', area: null, windows: 1, offices: ['县统计局 统计咨询窗口'] },
  { name: '县气象局', area: null, windows: 1, offices: ['县气象局 防雷许可窗口'] },
  { name: '县消防救援大队', area: 'E区', windows: 1, offices: ['县消防救援大队 消防验收窗口'] },
  { name: '县烟草专卖局', area: null, windows: 1, offices: ['县烟草专卖局 许可证窗口'] },
  { name: '县科学技术局', area: null, windows: 1, offices: ['县科学技术局 科技项目窗口'] },
  { name: '县工业和信息化局', area: null, windows: 1, offices: ['县工业和信息化局 企业服务窗口'] },
  { name: '县审计局', area: null, windows: 1 },
];

export const DEMO_USERS = {
  admin: { username: 'admin', displayName: '系统管理员', role: 'admin' as const },
  supervisor: { username: 'supervisor', displayName: '县督查室', role: 'supervisor' as const },
  head: { username: 'head', displayName: '人社局负责人', role: 'dept_head' as const, department: '县人力资源和社会保障局' },
};

/** The county's 特邀监督员 (role observer, scoped to the county), seeded with a history: the first one's login is printed at start. */
export const DEMO_OBSERVERS = [
  { username: 'observer', displayName: '王建国（县人大代表）' },
  { username: 'observer2', displayName: '李秀英（县政协委员）' },
  { username: 'observer3', displayName: '张卫东（企业代表）' },
];

/**
 * The demo's 行政区划代码 (upward reports' areaCode): well-formed, but 浙江 (33) has no 市 98, so no demo
 * report can pass for a real county's.
 */
export const DEMO_AREA_CODES = { city: '339800000000', county: '339821000000' };

/**
 * Departments left without a 统一社会信用代码 on purpose: their ratings are held for the missing code when
 * reported (the admin page says so), until an admin fills it in on the 部门 page.
 */
export const DEMO_WITHOUT_CREDIT_CODE = ['县燃气公司', '县审计局'];
const DEMO_COMPANIES = new Set(['国网县供电公司', '县自来水公司', '县燃气公司']);

/**
 * A demo department's 统一社会信用代码, the same for the same name every time: 登记管理部门 1 机构类别 1 (机关)
 * or 9 1 (企业), the county's 6-digit area code, a 组织机构代码 whose 8-digit body is a hash of the name
 * (with its GB 11714 check digit), and the GB 32100 check character.
 */
function demoCreditCode(name: string): string {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  const body = String(h % 100000000).padStart(8, '0');
  const first17 = `${DEMO_COMPANIES.has(name) ? '91' : '11'}${DEMO_AREA_CODES.county.slice(0, 6)}${body}${orgCheckChar(body)}`;
  return first17 + creditCheckChar(first17);
}

/** Location labels for one department, windows first. */
function locationsOf(d: DemoDepartment, nextWindow: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < d.windows; i++) {
    out.push(d.area ? `县政务服务中心 ${d.area} ${nextWindow()}号窗口` : `${d.name} 办事大厅 ${i + 1}号窗口`);
  }
  return [...out, ...(d.offices ?? [])];
}

export async function isSeeded(db: DbOrTx): Promise<boolean> {
  return ((await firstRow<{ n: number }>(db, sql`SELECT count(*) AS n FROM org_units`))?.n ?? 0) > 0;
}

export interface SeedResult {
  seeded: boolean;
  firstCode: string | null;
}

/**
 * Seeds the demo county once, in one transaction; a database that holds any org unit is left alone.
 * `history`: the county will get a demo history (server/demo-activity.ts) starting at `since`: its codes
 * are put up then (paper questionnaires and scan figures fall after a code's start; default now), and its
 * 特邀监督员, who file reports in that history, get their logins (never without one: demo people).
 */
export async function seedDemo(
  db: Db,
  opts: { passwordHash: string; now: number; history?: { since: number }; random?: (n: number) => Uint8Array },
): Promise<SeedResult> {
  if (await isSeeded(db)) return { seeded: false, firstCode: null };
  const random = opts.random ?? ((n: number) => randomBytes(n));
  const now = opts.now;
  const codesAt = opts.history?.since ?? now;
  let firstCode: string | null = null;
  await db.transaction(async (tx) => {
    const city = await insertOrgUnit(tx, { kind: 'city', name: '示例市', parentId: null, areaCode: DEMO_AREA_CODES.city, createdAt: now });
    const county = await insertOrgUnit(tx, {
      kind: 'county',
      name: '示例县',
      parentId: city.id,
      areaCode: DEMO_AREA_CODES.county,
      createdAt: now,
    });
    // Who issues the county's codes, named on every citizen page (settings: citizen.authority).
    await upsertSetting(tx, county.id, 'citizen', { ...SETTINGS_DEFAULTS.citizen, authority: '示例县政务服务和大数据管理局' }, now, null);
    let window = 0;
    const used = new Set<string>();
    const deptIds = new Map<string, number>();
    // Each department's codes and where its hall is: the windows and place of its 办事指南.
    const windows = new Map<number, { codes: string[]; where: string }>();
    for (const [i, d] of DEMO_DEPARTMENTS.entries()) {
      const creditCode = DEMO_WITHOUT_CREDIT_CODE.includes(d.name) ? null : demoCreditCode(d.name);
      const dept = await insertDepartment(tx, { orgUnitId: county.id, name: d.name, sortOrder: i + 1, creditCode, createdAt: now });
      deptIds.set(d.name, dept.id);
      const own = { codes: [] as string[], where: d.area ? `县政务服务中心 ${d.area}（${d.name}窗口）` : `${d.name} 办事大厅` };
      windows.set(dept.id, own);
      for (const location of locationsOf(d, () => ++window)) {
        let id = generateCodeId(random);
        while (used.has(id)) id = generateCodeId(random);
        used.add(id);
        own.codes.push(id);
        firstCode ??= id;
        await tx.insert(codes).values({ id, departmentId: dept.id, location, createdAt: codesAt, updatedAt: codesAt });
      }
    }
    await seedDemoGuides(tx, deptIds, windows, now);
    await seedDemoSuggestions(tx, deptIds, now);
    await insertDemoUsers(tx, {
      passwordHash: opts.passwordHash,
      adminUnit: city.id,
      supervisorUnit: county.id,
      headDepartment: deptIds.get(DEMO_USERS.head.department)!,
      now,
    });
    if (opts.history) {
      for (const o of DEMO_OBSERVERS) {
        await insertUser(tx, { ...o, role: 'observer', passwordHash: opts.passwordHash, orgUnitId: county.id, createdAt: codesAt });
      }
    }
  });
  return { seeded: true, firstCode };
}

/** The demo users: the administrator and the supervisor of the given units, the head of one department. */
export async function insertDemoUsers(
  tx: DbOrTx,
  at: { passwordHash: string; adminUnit: number; supervisorUnit: number; headDepartment: number; now: number },
): Promise<void> {
  const { passwordHash, now } = at;
  await insertUser(tx, { ...DEMO_USERS.admin, passwordHash, orgUnitId: at.adminUnit, createdAt: now });
  await insertUser(tx, { ...DEMO_USERS.supervisor, passwordHash, orgUnitId: at.supervisorUnit, createdAt: now });
  const head = await insertUser(tx, {
    username: DEMO_USERS.head.username,
    displayName: DEMO_USERS.head.displayName,
    role: DEMO_USERS.head.role,
    passwordHash,
    orgUnitId: null,
    createdAt: now,
  });
  await assignUserDepartments(tx, head.id, [at.headDepartment]);
}
