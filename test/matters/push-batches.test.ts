// 办件 pushes through the group commit: the pushes that arrive together are written in one transaction,
// and each answers exactly what it would alone, one after the other — different 办件 all stored with
// their 办结 counted once (the recount agrees), two pushes of one 办件 seeing each other in arrival
// order, a refused push (before it wrote) and a push failing after its write (in its savepoint) leaving
// the rest of the batch stored.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { countWrites } from '../../db/statement-count.js';
import type { Caller } from '../../server/modules/integrations/caller.js';
import type { PutMatterInput } from '../../shared/api/matters.js';
import { driverUnderTest, writeSql } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { makeIntegration, matterBody } from '../integrations/keys.js';

const { t, w } = useTestWorld();

const FINISHED = { status: 'finished', finishedAt: '2026-11-23T09:30:00+08:00' };
const DAY = '2026-11-23';

async function integrationCaller(): Promise<Caller> {
  const { apiKey } = await makeIntegration(t.app, w.admin);
  const caller = await t.services.integrations.resolveKey(apiKey);
  if (!caller) throw new Error('the key should resolve');
  return caller;
}

/**
 * Pushes every item in the same event-loop turn (their codes looked up first: a cached lookup resolves
 * at once), so that the group committer writes them in one batch; counts the transactions and
 * savepoints it took.
 */
async function pushTogether(caller: Caller, items: ReadonlyArray<{ projectNo: string; body: Record<string, unknown> }>) {
  for (const code of new Set(items.map((it) => String(it.body.code)))) await t.services.codes.getPublicInfo(code);
  const transactions = countWrites(t.db, { transactions: true });
  const savepoints = countWrites(t.db, { filter: (s) => /^savepoint\b/i.test(s.trim()) });
  try {
    const results = await Promise.allSettled(
      items.map((it) => t.services.matters.put(caller, it.projectNo, it.body as unknown as PutMatterInput)),
    );
    return { results, transactions: transactions.count, savepoints: savepoints.count };
  } finally {
    savepoints.stop();
    transactions.stop();
  }
}

function answer(r: PromiseSettledResult<{ created: boolean; matter: { status: string } }>) {
  return r.status === 'fulfilled' ? { created: r.value.created, status: r.value.matter.status } : { error: (r.reason as Error).name };
}

const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: number | null }>(t.db, query))[0]?.n ?? 0);
const finishedMatters = (departmentId: number) =>
  count(sql`SELECT sum(finished_matters) AS n FROM daily_department_stats WHERE department_id = ${departmentId} AND day = ${DAY}`);
const audits = (action: string) => count(sql`SELECT count(*) AS n FROM audit_log WHERE action = ${action}`);
const matterCount = () => count(sql`SELECT count(*) AS n FROM matters`);

async function expectExact() {
  const v = await t.services.stats.verifyRollups();
  expect(v.mismatches).toEqual([]);
  expect(v.ok).toBe(true);
}

describe('办件 pushes arriving together', () => {
  it('are written in one transaction: every 办件 stored, each 办结 counted once, the recount agrees', async () => {
    const caller = await integrationCaller();
    const items = Array.from({ length: 12 }, (_, i) => ({
      projectNo: `BATCH-${i}`,
      body: matterBody(i % 3 === 0 ? w.codeB.id : w.codeA.id, {
        ...(i % 4 === 3 ? {} : FINISHED),
        staffName: `经办人${i % 5}`,
        taskCode: `T-${i % 2}`,
      }),
    }));
    const out = await pushTogether(caller, items);
    expect(out.results.map(answer)).toEqual(items.map((it) => ({ created: true, status: it.body.status })));
    expect(out.transactions).toBe(1);
    expect(out.savepoints).toBe(0);
    expect(await matterCount()).toBe(12);
    // Finished: 9 of 12 (every fourth stays accepted); at codeB every third (0, 6, 9 finished; 3 not).
    expect(await finishedMatters(w.deptB.id)).toBe(3);
    expect(await finishedMatters(w.deptA.id)).toBe(6);
    expect(await audits('matter.create')).toBe(12);
    await expectExact();
  });

  it('two pushes of one 办件 answer as one after the other: accepted then finished; finished then accepted is 409', async () => {
    const caller = await integrationCaller();
    const out = await pushTogether(caller, [
      { projectNo: 'SEQ-1', body: matterBody(w.codeA.id) },
      { projectNo: 'SEQ-1', body: matterBody(w.codeA.id, FINISHED) },
      { projectNo: 'SEQ-2', body: matterBody(w.codeA.id, FINISHED) },
      { projectNo: 'SEQ-2', body: matterBody(w.codeA.id) },
      // The same push twice: the second changes nothing.
      { projectNo: 'SEQ-3', body: matterBody(w.codeA.id, FINISHED) },
      { projectNo: 'SEQ-3', body: matterBody(w.codeA.id, FINISHED) },
    ]);
    expect(out.results.map(answer)).toEqual([
      { created: true, status: 'accepted' },
      { created: false, status: 'finished' },
      { created: true, status: 'finished' },
      { error: 'IllegalTransition' },
      { created: true, status: 'finished' },
      { created: false, status: 'finished' },
    ]);
    // The refusal came before anything was written: no savepoint needed, one transaction.
    expect(out.transactions).toBe(1);
    expect(out.savepoints).toBe(0);
    const stored = await rows<{ projectNo: string; status: string }>(
      t.db,
      sql`SELECT project_no AS "projectNo", status FROM matters ORDER BY project_no`,
    );
    expect(stored).toEqual([
      { projectNo: 'SEQ-1', status: 'finished' },
      { projectNo: 'SEQ-2', status: 'finished' },
      { projectNo: 'SEQ-3', status: 'finished' },
    ]);
    expect(await finishedMatters(w.deptA.id)).toBe(3);
    expect(await audits('matter.create')).toBe(3);
    expect(await audits('matter.update')).toBe(1);
    await expectExact();
  });

  it('a push failing after its write fails alone (its savepoint); the batch’s other pushes are stored and counted', async () => {
    const caller = await integrationCaller();
    // The insert of one 办件 fails in the database, after the pushes before it in the batch wrote theirs.
    if (driverUnderTest === 'pg') {
      await writeSql(
        t.db,
        sql.raw(`CREATE FUNCTION refuse_matter() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.project_no = 'FAIL-1' AND NEW.status = 'finished' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`),
      );
      await writeSql(t.db, sql.raw('CREATE TRIGGER refuse_matter BEFORE INSERT ON matters FOR EACH ROW EXECUTE FUNCTION refuse_matter()'));
    } else {
      await writeSql(
        t.db,
        sql.raw(`CREATE TRIGGER refuse_matter BEFORE INSERT ON matters WHEN NEW.project_no = 'FAIL-1' AND NEW.status = 'finished'
          BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`),
      );
    }
    const out = await pushTogether(caller, [
      { projectNo: 'OK-1', body: matterBody(w.codeA.id, FINISHED) },
      { projectNo: 'FAIL-1', body: matterBody(w.codeA.id, FINISHED) },
      // The next push of the failed 办件 finds none stored: it is new.
      { projectNo: 'FAIL-1', body: matterBody(w.codeA.id) },
      { projectNo: 'OK-2', body: matterBody(w.codeB.id, FINISHED) },
      // Refused before writing (unknown code), in the same batch.
      { projectNo: 'OK-3', body: matterBody('NO-SUCH-CODE', FINISHED) },
    ]);
    expect(out.results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    expect(answer(out.results[2]!)).toEqual({ created: true, status: 'accepted' });
    expect(answer(out.results[4]!)).toEqual({ error: 'CodeNotFound' });
    // Written first without savepoints; the failure after a write rolled that back, and the batch was
    // written again with a savepoint per push.
    expect(out.transactions).toBe(2);
    expect(out.savepoints).toBe(5);
    const stored = await rows<{ projectNo: string; status: string }>(
      t.db,
      sql`SELECT project_no AS "projectNo", status FROM matters ORDER BY project_no`,
    );
    expect(stored).toEqual([
      { projectNo: 'FAIL-1', status: 'accepted' },
      { projectNo: 'OK-1', status: 'finished' },
      { projectNo: 'OK-2', status: 'finished' },
    ]);
    expect(await finishedMatters(w.deptA.id)).toBe(1);
    expect(await finishedMatters(w.deptB.id)).toBe(1);
    expect(await audits('matter.create')).toBe(3);
    await expectExact();
  });
});
