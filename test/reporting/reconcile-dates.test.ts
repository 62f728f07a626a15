// GET /api/reports/reconcile with a date of the right shape that names no day (2026-02-30): the schema's
// pattern lets it through, so the service refuses it — 400, never a 500 from day arithmetic.
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();

describe('the reconciliation’s dates', () => {
  it('a day that does not exist is a 400 saying which, for from and to alike', async () => {
    const get = (q: string) => t.app.inject({ url: `/api/reports/reconcile?${q}`, headers: bearerFor(t.app, w.admin) });
    const from = await get('from=2026-02-30');
    expect(from.statusCode, from.body).toBe(400);
    expect(from.json()).toEqual({ error: 'InvalidDate', message: '起始日期 2026-02-30 不是有效日期' });
    const to = await get('from=2026-02-01&to=2026-02-31');
    expect(to.statusCode, to.body).toBe(400);
    expect(to.json()).toEqual({ error: 'InvalidDate', message: '结束日期 2026-02-31 不是有效日期' });
    expect((await get('from=2026-02-01&to=2026-02-28')).statusCode).toBe(200);
  });
});
