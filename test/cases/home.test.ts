// 首页 (GET /api/home, docs/api.md): each role's work queue. Every count equals what the list it links
// to shows (GET /api/cases?{query}, the held queue, the integrations page, a spot-check draw); every case
// says whose move it is (waitingOn), derived from the workflow table.
import { describe, expect, it } from 'vitest';
import { actionableStatuses, MOVES, waitingOn } from '../../server/modules/cases/workflow.js';
import { CASE_KINDS, UNCLOSED_CASE_STATUSES } from '../../shared/domain.js';
import { bearerFor } from '../helpers/app.js';
import { makeRating, TEST_PASSWORD, useTestWorld } from '../helpers/factories.js';
import { drive, getJson, PHONE, type UserLike } from './helpers.js';

const DAY = 86_400_000;
const { t, w } = useTestWorld(); // today: Monday 2026-11-23, 10:00

async function bad(codeId: string, createdAt: number) {
  const r = await makeRating(t.services, { codeId, score: 1, phone: PHONE, createdAt, comment: '态度差' });
  return r.case!;
}

/** Department A's cases in every state, some overdue, some due today or the next working day. */
async function caseWorld() {
  const old = t.clock.now() - 30 * DAY; // past the 15 working days: overdue
  const ids: Record<string, number> = {};
  ids.openOverdue = (await bad(w.codeA.id, old)).id;
  ids.openDueToday = (await bad(w.codeA.id, Date.parse('2026-11-20T09:00:00+08:00'))).id; // contact due Mon 11-23
  ids.openDueNext = (await bad(w.codeA.id, t.clock.now() - 3600_000)).id; // contact due Tue 11-24
  ids.rectifying = (await bad(w.codeA.id, old)).id;
  await drive(t, w.headA, ids.rectifying, { to: 'visited', classification: 'valid', note: '已回访' });
  await drive(t, w.headA, ids.rectifying, { to: 'rectifying' });
  ids.appealedOverdue = (await bad(w.codeA.id, old)).id;
  await drive(t, w.headA, ids.appealedOverdue, { to: 'visited', classification: 'mistaken', note: '误评' });
  await drive(t, w.headA, ids.appealedOverdue, { to: 'appealed', note: '系误评' });
  ids.answered = (await bad(w.codeA.id, t.clock.now() - 2 * DAY)).id;
  await drive(t, w.headA, ids.answered, { to: 'visited', classification: 'no_basis', note: '已核实' });
  await drive(t, w.headA, ids.answered, { to: 'answered', note: '已解释', satisfaction: 'basic' });
  ids.closed = (await bad(w.codeA.id, t.clock.now() - 3 * DAY)).id;
  await drive(t, w.headA, ids.closed, { to: 'visited', classification: 'no_basis', note: '已核实' });
  await drive(t, w.headA, ids.closed, { to: 'answered', note: '已解释', satisfaction: 'basic' });
  await drive(t, w.supervisor, ids.closed, { to: 'closed' });
  // Another department's and another county's: in the supervisor's scope or in nobody's here.
  ids.otherDept = (await bad(w.codeB.id, old)).id;
  ids.otherCounty = (await bad(w.codeC.id, old)).id;
  return ids;
}

async function home(user: UserLike) {
  const res = await getJson(t, user, '/api/home');
  expect(res.statusCode).toBe(200);
  return res.json();
}

/** The case list a home count links to: its total and the rows it shows. */
async function listed(user: UserLike, query: string) {
  const res = await getJson(t, user, `/api/cases?${query}&limit=200`);
  expect(res.statusCode, query).toBe(200);
  const body = res.json();
  expect(body.cases.length, query).toBe(body.total);
  return body as { total: number; cases: { id: number; waitingOn: string | null; overdue: boolean }[] };
}

/** Every case count of a home answer equals the total of the list it names. */
async function expectCountsMatchLists(user: UserLike, h: { cases: Record<string, { count: number; query: string } | null> }) {
  for (const [key, item] of Object.entries(h.cases)) {
    if (!item) continue;
    expect((await listed(user, item.query)).total, key).toBe(item.count);
  }
}

async function login(username: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
  expect(res.statusCode).toBe(200);
}

describe('whose move: waitingOn', () => {
  it('is the department exactly where its head may move (its 待整改), the supervisor on the other unclosed steps, nobody once closed', () => {
    const head = actionableStatuses('dept_head');
    for (const kind of CASE_KINDS) {
      for (const status of UNCLOSED_CASE_STATUSES) {
        if (!MOVES.some((m) => m.kind === kind && m.from === status)) continue;
        const mine = head.some((s) => s.kind === kind && s.status === status);
        expect(waitingOn(kind, status), `${kind}/${status}`).toBe(mine ? 'department' : 'supervisor');
      }
      expect(waitingOn(kind, 'closed')).toBeNull();
    }
    expect(waitingOn('bad_rating', 'appealed')).toBe('supervisor');
    expect(waitingOn('bad_rating', 'answered')).toBe('supervisor');
    expect(waitingOn('bad_rating', 'rectifying')).toBe('department');
    expect(waitingOn('spot_check', 'open')).toBe('supervisor');
  });

  it('every case of the list and of the detail says it, per status', async () => {
    const ids = await caseWorld();
    const expected: Record<string, string | null> = {
      openOverdue: 'department',
      rectifying: 'department',
      appealedOverdue: 'supervisor',
      answered: 'supervisor',
      closed: null,
    };
    const list = await listed(w.supervisor, 'status=open,visited,rectifying,appealed,rectified,answered,closed');
    for (const [name, who] of Object.entries(expected)) {
      expect(list.cases.find((c) => c.id === ids[name])?.waitingOn, name).toBe(who);
      expect((await getJson(t, w.headA, `/api/cases/${ids[name]}`)).json().waitingOn, name).toBe(who);
    }
    // The filter lists exactly those.
    const sup = await listed(w.supervisor, 'waitingOn=supervisor');
    expect(sup.cases.map((c) => c.id).sort()).toEqual([ids.appealedOverdue, ids.answered].sort());
  });
});

describe('GET /api/home', () => {
  it('a head: 待我处理 N（超期 M） is the actionable list, due today / next working day, waiting on the supervisor, new 差评 since the last login', async () => {
    await login(w.headA.username);
    t.clock.advance(60_000);
    const ids = await caseWorld();
    // A 差评 made after that login (the case world's are older).
    await bad(w.codeA.id, t.clock.now());
    t.clock.advance(60_000);
    await login(w.headA.username);
    const h = await home(w.headA);
    expect(h.today).toBe('2026-11-23');
    expect(h.nextWorkingDay).toBe('2026-11-24');
    expect(h.previousLoginAt).toBe(h.since);
    await expectCountsMatchLists(w.headA, h);
    // open ×4, rectifying: the department's; appealed and answered wait on the supervisor.
    expect(h.cases.actionable.count).toBe(5);
    expect(h.cases.actionable.count).toBe((await listed(w.headA, 'actionable=true')).total);
    expect(h.cases.overdue.count).toBe(2);
    expect(h.cases.dueToday.count).toBe(1);
    expect((await listed(w.headA, h.cases.dueToday.query)).cases[0]!.id).toBe(ids.openDueToday);
    expect(h.cases.dueNext.count).toBe(2);
    expect(h.cases.waitingOnSupervisor.count).toBe(2);
    expect(h.cases.overdueWaitingOnSupervisor.count).toBe(1);
    expect(h.cases.newBad.count).toBe(1);
    // The head's 统计 says the same: unclosed = 本部门待办 + 等待督查, overdue likewise.
    const stats = (await getJson(t, w.headA, `/api/stats/cases?departmentId=${w.deptA.id}`)).json();
    expect(stats.unclosed - stats.waitingOnSupervisor).toBe(h.cases.actionable.count);
    expect(stats.waitingOnSupervisor).toBe(h.cases.waitingOnSupervisor.count);
    expect(stats.overdue - stats.overdueWaitingOnSupervisor).toBe(h.cases.overdue.count);
    expect(stats.overdueWaitingOnSupervisor).toBe(h.cases.overdueWaitingOnSupervisor.count);
    // Nothing of the supervisor's or the admin's pages.
    expect(h.held).toBeNull();
    expect(h.spotChecksDue).toBeNull();
    expect(h.integrationsFailing).toBeNull();
    // A 差评 after this login: new until the next login, which counts from this one.
    t.clock.advance(60_000);
    await bad(w.codeA.id, t.clock.now());
    expect((await home(w.headA)).cases.newBad.count).toBe(2);
    t.clock.advance(60_000);
    await login(w.headA.username);
    expect((await home(w.headA)).cases.newBad.count).toBe(1);
  });

  it('a supervisor: the queue of the county, held ratings to review, the months still to draw — each equal to its list', async () => {
    await caseWorld();
    // Real-name good ratings of October: a draw of October is due.
    for (let i = 0; i < 6; i++) {
      await makeRating(t.services, {
        codeId: w.codeA.id,
        score: 5,
        phone: PHONE,
        createdAt: Date.parse(`2026-10-${10 + i}T10:00:00+08:00`),
      });
    }
    // A 差评 flood from one network: held for review.
    for (let i = 0; i < 4; i++) {
      await t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeB.id}/ratings`,
        payload: { score: 1, tags: [], clientId: `flooddevice${i}0000000` },
        remoteAddress: '10.9.9.9',
      });
    }
    const h = await home(w.supervisor);
    await expectCountsMatchLists(w.supervisor, h);
    expect(h.cases.actionable.count).toBeGreaterThan(0);
    expect(h.cases.waitingOnSupervisor).toBeNull();
    // No earlier login: 新差评 of the last week.
    expect(h.previousLoginAt).toBeNull();
    expect(h.since).toBe(t.clock.now() - 7 * DAY);
    const held = (await getJson(t, w.supervisor, '/api/ratings/held?limit=1')).json();
    expect(held.total).toBeGreaterThan(0);
    expect(h.held).toBe(held.total);
    expect(h.spotChecksDue).toEqual([{ month: '2026-10', candidates: 6 }]);
    const draw = await t.app.inject({
      method: 'POST',
      url: '/api/spot-checks/draw',
      headers: bearerFor(t.app, w.supervisor),
      payload: { month: '2026-10' },
    });
    expect(draw.statusCode).toBeLessThan(300);
    expect(draw.json().draw.eligible).toBe(6);
    expect((await home(w.supervisor)).spotChecksDue).toEqual([]);
  });

  it('an admin: no case queue, held ratings, integrations whose latest call failed, the holiday warnings', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/integrations',
      headers: bearerFor(t.app, w.admin),
      payload: { name: '一窗受理' },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json().apiKey as string;
    let h = await home(w.admin);
    expect(h.cases.actionable).toBeNull();
    expect(h.integrationsFailing).toBe(0);
    // A push refused (400): the integration's latest call is an error.
    const refused = await t.app.inject({
      method: 'PUT',
      url: '/api/matters/BAD-1',
      headers: { 'x-api-key': key },
      payload: { code: w.codeA.id, status: 'finished' },
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    h = await home(w.admin);
    const listedIntegrations = (await getJson(t, w.admin, '/api/integrations')).json().integrations as {
      lastErrorAt: number | null;
      lastCallAt: number | null;
    }[];
    expect(listedIntegrations.filter((i) => i.lastErrorAt !== null && i.lastErrorAt === i.lastCallAt)).toHaveLength(1);
    expect(h.integrationsFailing).toBe(1);
    expect(h.held).toBe((await getJson(t, w.admin, '/api/ratings/held?limit=1')).json().total);
    expect(h.holidayWarnings).toEqual((await getJson(t, w.admin, '/api/settings/holidays')).json().warnings);
    await expectCountsMatchLists(w.admin, h);
  });
});
