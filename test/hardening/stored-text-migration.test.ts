// Free text stored before phone numbers were masked at input is masked in place by a one-off job.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { badCase } from '../cases/helpers.js';
import { driverUnderTest, writeSql } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
const job = () => t.services.jobs.find((j) => j.name === 'migration.maskStoredText')!;

describe('masking the free text stored before the masking rule', () => {
  it('masks old comments, case notes and decision reasons once, leaving other text as it was', async () => {
    const { kase } = await badCase(t, w, { comment: '窗口态度差' });
    const ratingId = kase.ratingId;
    // As an earlier version stored them: numbers in full, and (SQLite: PostgreSQL never stores one) a NUL.
    const nul = driverUnderTest === 'pg' ? '' : '\u0000';
    await writeSql(t.db, sql`UPDATE ratings SET comment = ${`请回电１３８００１３８００４，谢谢${nul}`} WHERE id = ${ratingId}`);
    await writeSql(t.db, sql`UPDATE case_events SET note = ${'已联系 138-0013-8002，群众认可'} WHERE case_id = ${kase.id}`);
    await writeSql(
      t.db,
      sql`INSERT INTO rating_decisions (rating_id, kind, reason, decided_at) VALUES (${ratingId}, 'exclude', ${'误评，群众 +86 139 1234 5678 来电说明'}, 0)`,
    );
    await writeSql(
      t.db,
      sql`INSERT INTO rating_decisions (rating_id, kind, reason, decided_at) VALUES (${ratingId}, 'flag', ${'办件号 330100202611260001 复核'}, 0)`,
    );

    expect(await job().run()).toBe(3);
    const comment = await rows<{ comment: string }>(t.db, sql`SELECT comment FROM ratings WHERE id = ${ratingId}`);
    expect(comment[0]!.comment).toBe('请回电138****8004，谢谢');
    const notes = await rows<{ note: string | null }>(t.db, sql`SELECT note FROM case_events WHERE case_id = ${kase.id}`);
    expect(notes.map((n) => n.note)).toContain('已联系 138****8002，群众认可');
    const reasons = await rows<{ reason: string }>(t.db, sql`SELECT reason FROM rating_decisions ORDER BY id`);
    expect(reasons.map((r) => r.reason)).toEqual(['误评，群众 139****5678 来电说明', '办件号 330100202611260001 复核']);

    // Done once: a later run changes nothing, even text written in full since (input masks it now).
    await writeSql(t.db, sql`UPDATE ratings SET comment = ${'13800138000'} WHERE id = ${ratingId}`);
    expect(await job().run()).toBe(0);
    expect((await rows<{ comment: string }>(t.db, sql`SELECT comment FROM ratings WHERE id = ${ratingId}`))[0]!.comment).toBe(
      '13800138000',
    );
  });
});
