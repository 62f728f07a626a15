import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { T0 } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();

let n = 0;
const key = () => `page-key-${String(++n).padStart(6, '0')}`;
const rate = (token: string, body: object) =>
  t.app.inject({ method: 'POST', url: `/api/e/${token}/ratings`, payload: body, remoteAddress: '10.9.9.9' });
const matterOf = (over: Partial<Parameters<typeof makeMatter>[1]> = {}) =>
  makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, ...over });

describe('POST /api/e/{token}/ratings — a retry of a stored rating (the phone queue’s resend)', () => {
  it('the 追评 sent again with its key answers 200 with the same rating, not 409', async () => {
    const m = await matterOf();
    await rate(m.linkToken!, { score: 5, idempotencyKey: key() });
    const body = { score: 1, tags: ['服务态度差'], idempotencyKey: key() };
    const first = await rate(m.linkToken!, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ assessNumber: 2, followUp: { caseNo: expect.any(String) } });
    const again = await rate(m.linkToken!, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    // A new rating is still refused.
    expect((await rate(m.linkToken!, { score: 5, idempotencyKey: key() })).statusCode).toBe(409);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE matter_id = ${m.id}`))!.n).toBe(2);
  });

  it('a rating stored within the period and sent again after it answers 200, a new one 410', async () => {
    const m = await matterOf();
    const body = { score: 4, idempotencyKey: key() };
    const first = await rate(m.linkToken!, body);
    expect(first.statusCode).toBe(201);
    t.clock.set(T0 + 7 * 86_400_000 + 60_000);
    const again = await rate(m.linkToken!, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await rate(m.linkToken!, { score: 4, idempotencyKey: key() })).statusCode).toBe(410);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE matter_id = ${m.id}`))!.n).toBe(1);
  });
});
