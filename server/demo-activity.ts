// Two months of history for the demo county, so a county evaluating the product on `npm start` sees
// dashboards, rankings and a case queue with something in them. Reproducible (seeded), made through
// the real services: ratings with their rollups and cases, cases moved through the real workflow
// with a clock set to when each step happened.

import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { listCasesOfRating } from '../db/queries/cases.js';
import { findUserByUsername } from '../db/queries/users.js';
import { codes as codesTable } from '../db/schema.js';
import { DEMO_USERS } from '../db/seed.js';
import { chinaDay } from '../shared/china-time.js';
import type { Score } from '../shared/domain.js';
import type { Config } from './config.js';
import { seedDemoMatters } from './demo-matters.js';
import { type DemoOtherWaysResult, seedDemoOtherWays } from './demo-other-ways.js';
import { manualClock } from './lib/clock.js';
import type { Actor } from './modules/auth/actor.js';
import { seededRandom } from './modules/cases/prng.js';
import { createServices } from './services.js';

const DAY = 86_400_000;
/** The demo's history: this many days before now (the codes are put up the day before it: db/seed.ts codesSince). */
export const DEMO_HISTORY_DAYS = 60;
const GOOD_COMMENTS = ['办事很快，工作人员很耐心', '一次就办好了，点赞', '指引清楚，环境也好', '窗口人员态度热情', '帮办代办很贴心', ''];
const BAD_COMMENTS = ['排队等了一个多小时', '材料要求前后说法不一致，跑了两趟', '中午窗口没人', '自助机坏了没人管', '工作人员态度生硬', ''];

export interface DemoActivityResult {
  ratings: number;
  cases: number;
  /** 办件 pushed by the demo's 一窗受理 integration, and how many were rated through their links. */
  matters: number;
  ratedMatters: number;
  /** A link of today's last 办件, not rated yet (printed on the first start). */
  openLink: string | null;
  /** A window's 评价器 address (printed on the first start). */
  kioskUrl: string | null;
  /** Ratings held for review: yesterday's scripted burst and 差评 flood (the supervisor's review queue). */
  held: number;
  /** The other ways in: 办不成事, 投诉/12345, 纸质问卷, 监督报告 and 走流程. */
  otherWays: DemoOtherWaysResult;
}

/** Seeds `days` days of ratings before `now` and moves their cases as a county would have. */
export async function seedDemoActivity(
  config: Readonly<Config>,
  db: Db,
  opts: { now: number; days?: number },
): Promise<DemoActivityResult> {
  const clock = manualClock(opts.now);
  const services = await createServices({ config, db, clock });
  const rand = seededRandom('示例县演示数据');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const cal = services.settings.calendar();
  const supervisorRow = await findUserByUsername(db, DEMO_USERS.supervisor.username);
  const supervisor = supervisorRow ? await services.auth.resolveActor(supervisorRow.id) : null;
  if (!supervisor) {
    const otherWays = { reports: 0, complaints: 0, paper: 0, observations: 0, walkthroughs: 0 };
    return { ratings: 0, cases: 0, matters: 0, ratedMatters: 0, openLink: null, kioskUrl: null, held: 0, otherWays };
  }

  // In table order (no ORDER BY, as before): the seeded draws below follow it.
  const codes = await db
    .select({ id: codesTable.id, departmentId: codesTable.departmentId })
    .from(codesTable)
    .where(eq(codesTable.active, true));
  // Each department has its own service quality, so the rankings have something to rank.
  const quality = new Map<number, number>();
  for (const c of codes) if (!quality.has(c.departmentId)) quality.set(c.departmentId, 0.75 + rand() * 0.2);

  const days = opts.days ?? DEMO_HISTORY_DAYS;
  const bad: Array<{ caseId: number; anonymous: boolean; at: number }> = [];
  let ratings = 0;
  // The scan funnel: every rating was a scan, and some citizens scan without rating. Drawn from a
  // stream of their own, so the ratings drawn below stay what they were.
  const scans = seededRandom('示例县扫码');
  const opens = services.stats.rollupBatch();
  for (let d = days; d >= 0; d--) {
    const day = chinaDay(opts.now - d * DAY);
    const working = cal.isWorkingDay(day);
    const dayStart = Date.parse(`${day}T08:30:00+08:00`);
    for (const code of codes) {
      const expected = working ? 0.35 : 0.03;
      let n = 0;
      while (rand() < expected / (n + 1)) n++;
      let looked = 0;
      while (scans() < 0.45 / (looked + 1)) looked++;
      if (dayStart + 9 * 3600_000 < opts.now) for (let i = 0; i < looked; i++) opens.addOpen(code.id, code.departmentId, day);
      for (let i = 0; i < n; i++) {
        const at = dayStart + Math.floor(rand() * 9 * 3600_000);
        if (at >= opts.now) continue;
        const q = quality.get(code.departmentId)!;
        const r = rand();
        const score: Score = r < q * 0.8 ? 5 : r < q ? 4 : r < q + (1 - q) * 0.45 ? 3 : r < q + (1 - q) * 0.75 ? 2 : 1;
        const isBad = score <= 2;
        const phone =
          rand() < (isBad ? 0.6 : 0.12)
            ? `1${pick(['38', '39', '58', '86', '77'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`
            : null;
        // The reasons of the code's county (it may have its own).
        const { tags } = await services.settings.forDepartment(code.departmentId);
        const list = isBad ? tags.bad : tags.good;
        const chosen = rand() < 0.6 ? [pick(list)] : [];
        const comment = rand() < 0.3 ? pick(isBad ? BAD_COMMENTS : GOOD_COMMENTS) || null : null;
        const result = await services.ratings.recordAt({
          code: code.id,
          score,
          tags: chosen,
          comment,
          phone,
          createdAt: at,
          channel: 'qr',
        });
        ratings++;
        opens.addOpen(code.id, code.departmentId, day);
        const caseNo = result.followUp?.caseNo;
        if (caseNo !== undefined) {
          // The rating's case (a case's anonymity is fixed when it opens).
          const opened = (await listCasesOfRating(db, result.id)).find((c) => c.caseNo === caseNo)!;
          bad.push({ caseId: opened.id, anonymous: opened.anonymous, at });
        }
      }
    }
  }

  await db.transaction((tx) => services.stats.writeRollups(tx, opens));

  // The 办件 of the county service centre's windows, rated through their links (一次一评).
  const matters = await seedDemoMatters(services, db, clock, { now: opts.now, days, rand, quality: (id) => quality.get(id) ?? 0.85 });
  for (const b of matters.badCases) {
    const opened = (await listCasesOfRating(db, b.ratingId)).find((c) => c.caseNo === b.caseNo)!;
    bad.push({ caseId: opened.id, anonymous: opened.anonymous, at: b.at });
  }
  bad.sort((x, y) => x.at - y.at);

  // Follow-up as it would have happened: older cases handled and closed, recent ones in progress.
  const move = async (caseId: number, at: number, input: Parameters<typeof services.cases.transition>[2]): Promise<void> => {
    clock.set(Math.round(Math.min(at, opts.now - 60_000)));
    await services.cases.transition(supervisor, caseId, input);
  };
  for (const { caseId, anonymous, at } of bad) {
    const age = (opts.now - at) / DAY;
    const r = rand();
    if (age < 1 || (age < 3 && r < 0.5)) continue; // still 待回访 (some of them overdue)
    const visited = at + (0.2 + rand() * 0.8) * DAY;
    const visitNote = anonymous ? '匿名差评，已调取窗口记录核实' : '已电话回访群众，情况属实';
    if (r < 0.08) {
      await move(caseId, visited, { to: 'visited', classification: 'no_basis', note: anonymous ? visitNote : '已电话回访群众' });
      if (age > 4) await move(caseId, visited + DAY, { to: 'answered', note: '诉求无法律依据，已向群众解释说明相关政策' });
      continue;
    }
    await move(caseId, visited, { to: 'visited', classification: 'valid', note: visitNote });
    await move(caseId, visited + 3600_000, { to: 'rectifying', note: '立行立改' });
    if (age < 6) continue;
    const rectified = visited + (1 + rand() * 6) * DAY;
    await move(caseId, rectified, {
      to: 'rectified',
      note: pick([
        '增设取号引导员，高峰期增开窗口',
        '对窗口人员开展服务礼仪培训',
        '更新办事指南并一次性告知材料清单',
        '安排人员午间轮岗，窗口不断档',
      ]),
    });
    if (age < 10) continue;
    const satisfaction = rand() < 0.75 ? 'satisfied' : rand() < 0.8 ? 'basic' : 'unsatisfied';
    await move(caseId, rectified + DAY, { to: 'answered', satisfaction, note: '已回访群众告知整改结果' });
    if (rand() < 0.9) await move(caseId, rectified + DAY + 3600_000, { to: 'closed', note: '办结' });
  }
  const otherWays = await seedDemoOtherWays(services, db, clock, { now: opts.now, supervisor });
  const rigging = await seedDemoRigging(services, clock, supervisor, codes, opts.now);
  return {
    held: rigging.held,
    otherWays,
    ratings: ratings + matters.ratings + otherWays.paper + rigging.sent,
    cases: bad.length,
    matters: matters.matters,
    ratedMatters: matters.rated,
    openLink: matters.openLink,
    kioskUrl: matters.kioskUrl,
  };
}

/**
 * What the hold rules exist for, so that the review queue has something in it: yesterday afternoon one
 * address sent 80 五星 to one department's windows with a fresh client id each (a burst: all held, the
 * department's figures unmoved), and another sent 6 差评 to a window within minutes (a flood: held,
 * attached to one grouped case). Sent through the rating service as a phone's page sends them.
 */
async function seedDemoRigging(
  services: Awaited<ReturnType<typeof createServices>>,
  clock: ReturnType<typeof manualClock>,
  supervisor: Actor,
  codes: ReadonlyArray<{ id: string; departmentId: number }>,
  now: number,
): Promise<{ sent: number; held: number }> {
  const yesterday = chinaDay(now - DAY);
  const target = codes.filter((c) => c.departmentId === codes.at(-1)!.departmentId);
  let sent = 0;
  const send = async (code: string, body: { score: number; tags: string[] }, ip: string, n: number) => {
    sent++;
    await services.ratings.submit({
      code,
      body: { ...body, clientId: `demo-rig-${n}-${ip.replaceAll('.', '-')}` },
      ip,
      userAgent: 'Mozilla/5.0',
    });
    clock.advance(3_000);
  };
  clock.set(Date.parse(`${yesterday}T15:10:00+08:00`));
  for (let i = 0; i < 80; i++) await send(target[i % target.length]!.id, { score: 5, tags: ['办事高效'] }, '203.0.113.77', i);
  clock.set(Date.parse(`${yesterday}T16:40:00+08:00`));
  for (let i = 0; i < 6; i++) await send(codes[0]!.id, { score: 1, tags: ['服务态度差'] }, '198.51.100.23', i);
  await services.ratings.flush();
  return { sent, held: (await services.heldRatings.groups(supervisor, {})).held };
}
