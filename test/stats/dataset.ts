// The hand-built data set of the indicator tests: November 2026 in a county with two departments
// (A, B) and a department C in another county. Every expected figure below is counted by hand from
// the ratings and case moves listed here, not computed by the code under test.
import type { Actor } from '../../server/modules/auth/actor.js';
import type { MoveInput } from '../../server/modules/cases/workflow.js';
import type { TestApp } from '../helpers/app.js';
import { makeCode, makeRating, makeWorld } from '../helpers/factories.js';

export const at = (iso: string) => Date.parse(`${iso}+08:00`);
export const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

export async function buildNovember(t: TestApp) {
  const w = await makeWorld(t.db);
  const { services } = t;
  const codeA2 = await makeCode(t.db, { departmentId: w.deptA.id, location: '县政务服务中心 A区 2号窗口' });
  const actor = async (u: { id: number }): Promise<Actor> => (await services.auth.resolveActor(u.id))!;
  const headA = await actor(w.headA);
  const supervisor = await actor(w.supervisor);
  const rate = async (codeId: string, score: number, when: string, extra: { phone?: string; tags?: string[]; comment?: string } = {}) =>
    await makeRating(services, { codeId, score, createdAt: at(when), ...extra });
  const move = async (who: Actor, caseId: number, when: string, input: MoveInput) => {
    t.clock.set(at(when));
    return await services.cases.transition(who, caseId, input);
  };

  // Department A (code A1 unless said otherwise).
  const A = w.codeA.id;
  const r1 = await rate(A, 5, '2026-11-02T09:15:00', { phone: '13800000001', tags: ['态度热情'] });
  const r2 = await rate(A, 5, '2026-11-02T10:20:00');
  const r3 = await rate(A, 4, '2026-11-03T14:05:00', { phone: '13800000003' });
  const r4 = await rate(A, 3, '2026-11-04T15:30:00', { comment: '=HYPERLINK("http://evil") 请回电13812345678' });
  const r5 = await rate(A, 2, '2026-11-05T09:40:00', { phone: '13800000005', tags: ['服务态度差'], comment: '态度不好' });
  const r6 = await rate(A, 1, '2026-11-02T11:00:00', { tags: ['服务态度差', '办事效率低/等候时间长'] });
  const r7 = await rate(A, 1, '2026-11-06T16:00:00', { phone: '13800000007', tags: ['服务态度差'] });
  const r8 = await rate(A, 2, '2026-11-09T10:00:00', { phone: '13800000008' });
  const r9 = await rate(A, 2, '2026-11-10T10:00:00', { phone: '13800000009' });
  const r10 = await rate(codeA2.id, 4, '2026-11-12T10:00:00', { phone: '13800000010' });
  const r11 = await rate(A, 1, '2026-11-20T08:30:00', { phone: '13800000011' });
  // Outside November: never counted in it.
  await rate(A, 1, '2026-10-31T23:30:00', { phone: '13800000099' });
  await rate(A, 5, '2026-12-01T00:10:00');

  // c5 (实名, valid): rectified, answered 满意, closed on time.
  await move(headA, r5.case!.id, '2026-11-06T09:00:00', { to: 'visited', classification: 'valid' });
  await move(headA, r5.case!.id, '2026-11-06T10:00:00', { to: 'rectifying' });
  await move(headA, r5.case!.id, '2026-11-07T10:00:00', { to: 'rectified', note: '已对窗口人员批评教育' });
  await move(supervisor, r5.case!.id, '2026-11-09T10:00:00', { to: 'answered', satisfaction: 'satisfied' });
  await move(supervisor, r5.case!.id, '2026-11-10T10:00:00', { to: 'closed' });
  // c6 (匿名, valid): answered 不满意, reopened once, re-answered 基本满意, closed after its deadline.
  await move(headA, r6.case!.id, '2026-11-03T09:00:00', { to: 'visited', classification: 'valid', note: '内部核实属实' });
  await move(headA, r6.case!.id, '2026-11-03T10:00:00', { to: 'rectifying' });
  await move(headA, r6.case!.id, '2026-11-04T10:00:00', { to: 'rectified', note: '增加窗口' });
  await move(supervisor, r6.case!.id, '2026-11-05T10:00:00', { to: 'answered', satisfaction: 'unsatisfied' });
  await move(supervisor, r6.case!.id, '2026-11-05T11:00:00', { to: 'rectifying' });
  await move(headA, r6.case!.id, '2026-11-10T10:00:00', { to: 'rectified', note: '再次整改' });
  await move(supervisor, r6.case!.id, '2026-11-11T10:00:00', { to: 'answered', satisfaction: 'basic' });
  await move(supervisor, r6.case!.id, '2026-11-30T10:00:00', { to: 'closed' });
  // c7 (实名): 误评, appeal approved → the rating is excluded from the statistics.
  await move(headA, r7.case!.id, '2026-11-07T09:00:00', { to: 'visited', classification: 'mistaken' });
  await move(headA, r7.case!.id, '2026-11-07T10:00:00', { to: 'appealed', note: '群众误操作' });
  await move(supervisor, r7.case!.id, '2026-11-08T10:00:00', { to: 'closed' });
  // c8 (实名, valid): still being rectified.
  await move(headA, r8.case!.id, '2026-11-10T09:00:00', { to: 'visited', classification: 'valid' });
  await move(headA, r8.case!.id, '2026-11-10T10:00:00', { to: 'rectifying' });
  // c9 (实名, no legal basis): explained, answered 不满意, closed on time.
  await move(headA, r9.case!.id, '2026-11-11T09:00:00', { to: 'visited', classification: 'no_basis' });
  await move(headA, r9.case!.id, '2026-11-11T10:00:00', { to: 'answered', note: '依法不能办理，已解释', satisfaction: 'unsatisfied' });
  await move(supervisor, r9.case!.id, '2026-11-12T10:00:00', { to: 'closed' });
  // c11 (实名): not yet visited.

  // Department B: too few ratings to be ranked.
  await rate(w.codeB.id, 5, '2026-11-03T09:00:00');
  await rate(w.codeB.id, 5, '2026-11-03T09:30:00');
  await rate(w.codeB.id, 1, '2026-11-03T10:00:00', { comment: '部门B的留言' });
  // Department C, another county.
  await rate(w.codeC.id, 5, '2026-11-04T09:00:00', { comment: '部门C的留言' });
  await rate(w.codeC.id, 2, '2026-11-04T09:05:00', { phone: '13900000002' });

  t.clock.set(at('2026-12-02T10:00:00'));
  return { w, codeA2, headA, supervisor, r: { r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11 } };
}

/** Department A in November, counted by hand (r7 excluded by the approved appeal). */
export const EXPECTED_A = {
  total: 10,
  byScore: { '1': 2, '2': 3, '3': 1, '4': 2, '5': 2 },
  goodCount: 5,
  badCount: 5,
  realNameCount: 7,
  goodRate: 0.5,
  badRate: 0.5,
  // (2·1 + 3·2 + 1·3 + 2·4 + 2·5) / 10 × 20 = 29 / 10 × 20
  score: 58,
  cases: 5,
  openCases: 2,
  realNameBad: 4,
  realNameBadVisited: 3,
  visitRate: 0.75,
  validBad: 3,
  validRectified: 2,
  rectifyRate: 2 / 3,
  answered: 3,
  answeredSatisfied: 2,
  satisfactionRate: 2 / 3,
  closed: 3,
  closedOnTime: 2,
  // On 2026-12-02 c8 (due 11-30) is open and overdue, c11 (due 12-11) open and not yet due: late are 1 of
  // the 3 closed (c6) and c8.
  overdueOpen: 1,
  onTimeRate: 2 / 4,
};

export const EXPECTED_B = {
  total: 3,
  byScore: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 2 },
  goodRate: 2 / 3,
  badRate: 1 / 3,
  score: (11 * 20) / 3,
  cases: 1,
  openCases: 1,
  realNameBad: 0,
  visitRate: null,
  validBad: 0,
  rectifyRate: null,
  answered: 0,
  satisfactionRate: null,
  closed: 0,
  // Its one 差评 (11-03, due 11-24) is still open on 12-02: late, and nothing closed on time.
  overdueOpen: 1,
  onTimeRate: 0,
};

/** Every full phone number of the data set: none may ever leave the server. */
export const ALL_PHONES = [
  '13800000001',
  '13800000003',
  '13812345678',
  '13800000005',
  '13800000007',
  '13800000008',
  '13800000009',
  '13800000010',
  '13800000011',
  '13800000099',
  '13900000002',
];

export function expectNoFullPhone(text: string): void {
  for (const p of ALL_PHONES) if (text.includes(p)) throw new Error(`full phone number ${p} leaked`);
  if (/(?<!\d)1[3-9]\d{9}(?!\d)/.test(text.replace(/\d{13,}/g, ''))) throw new Error('a full mobile number leaked');
}
