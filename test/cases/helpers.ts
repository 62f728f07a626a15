// Shared helpers of the case workflow tests.
import { sql } from 'drizzle-orm';
import { firstRow, rows } from '../../db/client.js';
import type { MoveInput } from '../../server/modules/cases/workflow.js';
import { bearerFor, makeTestApp, type TestApp } from '../helpers/app.js';
import { makeRating, makeWorld, type World } from '../helpers/factories.js';

export type { World };
export type UserLike = { id: number; role: string };

export const PHONE = '13912345678';

export async function setup(opts: Parameters<typeof makeTestApp>[0] = {}): Promise<{ t: TestApp; w: World }> {
  const t = await makeTestApp(opts);
  const w = await makeWorld(t.db);
  return { t, w };
}

/** A 差评 of department A (real-name unless `anonymous`) and its open case. */
export async function badCase(
  t: TestApp,
  w: World,
  opts: { anonymous?: boolean; score?: number; codeId?: string; createdAt?: number; comment?: string } = {},
) {
  const r = await makeRating(t.services, {
    codeId: opts.codeId ?? w.codeA.id,
    score: opts.score ?? 1,
    phone: opts.anonymous ? null : PHONE,
    createdAt: opts.createdAt,
    comment: opts.comment ?? '窗口人员态度冷淡',
    tags: ['服务态度差'],
  });
  return { rating: r.rating, kase: r.case! };
}

export function move(t: TestApp, user: UserLike, caseId: number, body: Partial<MoveInput> & { to: string }) {
  return t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/transitions`, headers: bearerFor(t.app, user), payload: body });
}

export function getJson(t: TestApp, user: UserLike, url: string) {
  return t.app.inject({ url, headers: bearerFor(t.app, user) });
}

/** Moves a case through the service, as the given user, failing loudly if a step is refused. */
export async function drive(t: TestApp, user: UserLike, caseId: number, input: MoveInput): Promise<void> {
  const actor = await t.services.auth.resolveActor(user.id);
  if (!actor) throw new Error('no actor');
  await t.services.cases.transition(actor, caseId, input);
}

/** Everything a refused move must leave untouched. */
export async function snapshot(t: TestApp, caseId: number) {
  return {
    case: await firstRow(t.db, sql`SELECT * FROM cases WHERE id = ${caseId}`),
    events: (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM case_events WHERE case_id = ${caseId}`))?.n,
    rating: await firstRow(t.db, sql`SELECT r.* FROM ratings r JOIN cases c ON c.rating_id = r.id WHERE c.id = ${caseId}`),
    decisions: (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM rating_decisions`))?.n,
    caseStats: await rows(t.db, sql`SELECT * FROM daily_case_stats ORDER BY department_id, day`),
    codeStats: await rows(t.db, sql`SELECT * FROM daily_code_stats ORDER BY code_id, day`),
  };
}
