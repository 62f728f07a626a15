// The whole matrix of the case workflow (docs/api.md, Cases): for every reachable state × every target
// status, allowed moves succeed for exactly the roles allowed and write one event; everything else is
// 409 (nothing changed), 403 for a role not allowed, 404 for users of another department / county.
// The expectations below are written out by hand, independently of server/modules/cases/workflow.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { MoveInput } from '../../server/modules/cases/workflow.js';
import { CASE_STATUSES, type CaseStatus } from '../../shared/domain.js';
import { bearerFor, type TestApp } from '../helpers/app.js';
import { makeRating } from '../helpers/factories.js';
import { badCase, drive, move, PHONE, setup, snapshot, type World } from './helpers.js';

type RoleKey = 'supervisor' | 'dept_head' | 'admin';
type Step = [RoleKey, MoveInput];

const visit = (classification: MoveInput['classification']): Step => ['supervisor', { to: 'visited', classification }];
const rectifying: Step[] = [visit('valid'), ['dept_head', { to: 'rectifying' }]];
const rectified: Step[] = [...rectifying, ['dept_head', { to: 'rectified', note: '已对窗口人员批评教育并调整排班' }]];
const answered = (s: 'satisfied' | 'unsatisfied'): Step[] => [...rectified, ['supervisor', { to: 'answered', satisfaction: s }]];

interface Fixture {
  kind: 'bad' | 'spot';
  anonymous?: boolean;
  steps: Step[];
}

const FIXTURES: Record<string, Fixture> = {
  'bad open': { kind: 'bad', steps: [] },
  'bad open (anonymous)': { kind: 'bad', anonymous: true, steps: [] },
  'bad visited valid': { kind: 'bad', steps: [visit('valid')] },
  'bad visited mistaken': { kind: 'bad', steps: [visit('mistaken')] },
  'bad visited malicious': { kind: 'bad', steps: [visit('malicious')] },
  'bad visited no_basis': { kind: 'bad', steps: [visit('no_basis')] },
  'bad appealed': { kind: 'bad', steps: [visit('mistaken'), ['dept_head', { to: 'appealed', note: '监控显示当事人未在本窗口办理' }]] },
  'bad rectifying': { kind: 'bad', steps: rectifying },
  'bad rectified': { kind: 'bad', steps: rectified },
  'bad answered satisfied': { kind: 'bad', steps: answered('satisfied') },
  'bad answered unsatisfied': { kind: 'bad', steps: answered('unsatisfied') },
  'bad answered unsatisfied, reopened once': {
    kind: 'bad',
    steps: [
      ...answered('unsatisfied'),
      ['supervisor', { to: 'rectifying' }],
      ['dept_head', { to: 'rectified', note: '再次整改' }],
      ['supervisor', { to: 'answered', satisfaction: 'unsatisfied' }],
    ],
  },
  'bad answered after explanation': {
    kind: 'bad',
    steps: [visit('no_basis'), ['dept_head', { to: 'answered', note: '该诉求无法律依据，已向群众解释' }]],
  },
  'bad closed': { kind: 'bad', steps: [...answered('satisfied'), ['supervisor', { to: 'closed' }]] },
  'spot open': { kind: 'spot', steps: [] },
  'spot visited': { kind: 'spot', steps: [['supervisor', { to: 'visited', genuine: true }]] },
  'spot closed': {
    kind: 'spot',
    steps: [
      ['supervisor', { to: 'visited', genuine: true }],
      ['supervisor', { to: 'closed' }],
    ],
  },
};

interface Allowed {
  roles: RoleKey[];
  body: Omit<MoveInput, 'to'>;
  event: string;
}

const EXPECTED: Record<string, Partial<Record<CaseStatus, Allowed>>> = {
  'bad open': { visited: { roles: ['supervisor', 'dept_head'], body: { classification: 'valid' }, event: 'visited' } },
  'bad open (anonymous)': {
    visited: { roles: ['supervisor', 'dept_head'], body: { classification: 'valid', note: '调取监控核实，情况属实' }, event: 'visited' },
  },
  'bad visited valid': { rectifying: { roles: ['supervisor', 'dept_head'], body: {}, event: 'rectifying' } },
  'bad visited mistaken': { appealed: { roles: ['dept_head'], body: { note: '误评' }, event: 'appealed' } },
  'bad visited malicious': { appealed: { roles: ['dept_head'], body: { note: '恶意差评' }, event: 'appealed' } },
  'bad visited no_basis': { answered: { roles: ['supervisor', 'dept_head'], body: { note: '已解释政策依据' }, event: 'explained' } },
  'bad appealed': {
    closed: { roles: ['supervisor'], body: {}, event: 'appeal_approved' },
    rectifying: { roles: ['supervisor'], body: { note: '证据不足' }, event: 'appeal_rejected' },
  },
  'bad rectifying': { rectified: { roles: ['supervisor', 'dept_head'], body: { note: '整改措施' }, event: 'rectified' } },
  'bad rectified': { answered: { roles: ['supervisor', 'dept_head'], body: { satisfaction: 'basic' }, event: 'answered' } },
  'bad answered satisfied': { closed: { roles: ['supervisor'], body: {}, event: 'closed' } },
  'bad answered unsatisfied': {
    closed: { roles: ['supervisor'], body: {}, event: 'closed' },
    rectifying: { roles: ['supervisor'], body: {}, event: 'reopened' },
  },
  'bad answered unsatisfied, reopened once': { closed: { roles: ['supervisor'], body: {}, event: 'closed' } },
  'bad answered after explanation': { closed: { roles: ['supervisor'], body: {}, event: 'closed' } },
  'bad closed': {},
  'spot open': { visited: { roles: ['supervisor'], body: { genuine: true, note: '本人评价，未受引导' }, event: 'visited' } },
  'spot visited': { closed: { roles: ['supervisor'], body: {}, event: 'closed' } },
  'spot closed': {},
};

const ROLES: RoleKey[] = ['supervisor', 'dept_head', 'admin'];
/** 好评抽查 cases are outside a department head's scope (the check is of the department itself). */
const hidden = (f: Fixture, role: RoleKey) => f.kind === 'spot' && role === 'dept_head';
const userOf = (w: World, r: RoleKey) => (r === 'supervisor' ? w.supervisor : r === 'dept_head' ? w.headA : w.admin);

let spotSeq = 0;
async function build(t: TestApp, w: World, f: Fixture): Promise<number> {
  let id: number;
  if (f.kind === 'bad') {
    id = (await badCase(t, w, { anonymous: f.anonymous })).kase.id;
  } else {
    // Every draw of the month takes all of its new ratings (a month's share stays at the setting, so at
    // 5% a second draw of the month would take none).
    const shareAll = { spotCheck: { share: 1, minPerDepartment: 1 } };
    await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearerFor(t.app, w.admin), payload: shareAll });
    await makeRating(t.services, { codeId: w.codeA.id, score: 5, phone: PHONE });
    const sup = (await t.services.auth.resolveActor(w.supervisor.id))!;
    const drawn = await t.services.cases.drawSpotChecks(sup, { month: '2026-11', seed: `s${++spotSeq}` });
    expect(drawn.cases).toHaveLength(1);
    id = drawn.cases[0]!.id;
  }
  for (const [role, input] of f.steps) await drive(t, userOf(w, role), id, input);
  return id;
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('case workflow matrix', () => {
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    for (const to of CASE_STATUSES) {
      const allowed = EXPECTED[name]![to];
      if (allowed) {
        it(`${name} → ${to}: allowed for ${allowed.roles.join('/')} only; 403 for other roles, 404 out of scope, 400 without required fields`, async () => {
          const s = await setup();
          t = s.t;
          const w = s.w;
          for (const role of ROLES) {
            const id = await build(t, w, fixture);
            const before = await snapshot(t, id);
            const res = await move(t, userOf(w, role), id, { to, ...allowed.body });
            if (hidden(fixture, role)) {
              expect(res.statusCode).toBe(404);
              expect(await snapshot(t, id)).toEqual(before);
            } else if (allowed.roles.includes(role)) {
              expect(res.statusCode, `${role}: ${res.body}`).toBe(200);
              const body = res.json();
              expect(body.status).toBe(to);
              expect(body.id).toBe(id);
              const last = body.events.at(-1);
              expect(last).toMatchObject({ type: allowed.event, to, by: userOf(w, role).id });
              expect(last.from).toBe(before.case && (before.case as { status: string }).status);
              expect((await snapshot(t, id)).events).toBe(before.events! + 1);
            } else {
              expect(res.statusCode, `${role}: ${res.body}`).toBe(403);
              expect(res.json().error).toBe('Forbidden');
              expect(await snapshot(t, id)).toEqual(before);
            }
          }
          // Users of another department / county never learn anything about the case.
          const id = await build(t, w, fixture);
          const before = await snapshot(t, id);
          for (const outsider of [w.headB, w.otherSupervisor]) {
            const res = await move(t, outsider, id, { to, ...allowed.body });
            expect(res.statusCode).toBe(404);
            expect(res.body).not.toContain((before.case as { case_no: string }).case_no);
          }
          // Required fields missing → 400, nothing changed.
          const requiredKeys = Object.keys(allowed.body).filter(
            (k) => !(name === 'bad appealed' && k === 'note') && !(name === 'spot open' && k === 'note'),
          );
          if (requiredKeys.length > 0) {
            const res = await move(t, userOf(w, allowed.roles[0]!), id, { to });
            expect(res.statusCode).toBe(400);
          }
          expect(await snapshot(t, id)).toEqual(before);
        });
      } else {
        it(`${name} → ${to}: 409 for every role${fixture.kind === 'spot' ? ' (404 for a head)' : ''}, nothing changed`, async () => {
          const s = await setup();
          t = s.t;
          const w = s.w;
          const id = await build(t, w, fixture);
          const before = await snapshot(t, id);
          for (const role of ROLES) {
            const res = await move(t, userOf(w, role), id, { to, note: '尝试' });
            if (hidden(fixture, role)) {
              expect(res.statusCode).toBe(404);
              continue;
            }
            expect(res.statusCode, `${role}: ${res.body}`).toBe(409);
            expect(res.json()).toMatchObject({ error: 'IllegalTransition' });
            expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
          }
          expect(await snapshot(t, id)).toEqual(before);
        });
      }
    }
  }
});
