// Default ratings (docs/domain.md, 办件): off unless enabled; a finished 办件 no one rated within its
// period gets one system rating, which opens no case and is marked as a default everywhere.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { T0 } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();
const DAY = 86_400_000;
const enable = async (score = 4) =>
  t.services.settings.update((await t.services.auth.resolveActor(w.admin.id))!, {
    matters: { linkValidDays: 7, defaultRating: { enabled: true, score }, smsSign: '' },
  });
const defaults = () =>
  rows<{ matter_id: number; score: number; channel: string; assess_number: number; created_at: number }>(
    t.db,
    sql`SELECT matter_id, score, channel, assess_number, created_at FROM ratings WHERE channel = 'default' ORDER BY matter_id`,
  );

describe('default ratings of unrated 办件', () => {
  it('are off by default: nothing is given however old the 办件', async () => {
    await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 30 * DAY });
    expect(await t.services.ratings.giveDefaultRatings()).toBe(0);
    expect(await defaults()).toEqual([]);
  });

  it('once enabled, a 办件 unrated past its 7 days gets one default rating dated when the period ended; rated or recent ones none', async () => {
    await enable();
    const old = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 8 * DAY });
    const recent = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 6 * DAY });
    const rated = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 8 * DAY });
    t.clock.set(T0 - 7 * DAY);
    expect((await t.app.inject({ method: 'POST', url: `/api/e/${rated.linkToken}/ratings`, payload: { score: 5 } })).statusCode).toBe(201);
    t.clock.set(T0);
    expect(await t.services.ratings.giveDefaultRatings()).toBe(1);
    expect(await defaults()).toEqual([{ matter_id: old.id, score: 4, channel: 'default', assess_number: 1, created_at: T0 - DAY }]);
    expect(recent.id).not.toBe(old.id);
    // Run again: nothing more.
    expect(await t.services.ratings.giveDefaultRatings()).toBe(0);
    // Its link is over: no citizen rating after a default.
    expect((await t.app.inject({ method: 'POST', url: `/api/e/${old.linkToken}/ratings`, payload: { score: 1 } })).statusCode).toBe(410);
  });

  it('a default never opens a case, even with a 差评 score configured, and is counted as a default, not as a rated 办件', async () => {
    await enable(1);
    await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 10 * DAY });
    expect(await t.services.ratings.giveDefaultRatings()).toBe(1);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM cases`))!.n).toBe(0);
    const dept = await firstRow<{ s1: number; defaults: number; default_good: number; finished: number; rated: number }>(
      t.db,
      sql`SELECT sum(s1) AS s1, sum(defaults) AS defaults, sum(default_good) AS default_good, sum(finished_matters) AS finished,
        sum(rated_matters) AS rated FROM daily_department_stats WHERE department_id = ${w.deptA.id}`,
    );
    expect(dept).toEqual({ s1: 1, defaults: 1, default_good: 0, finished: 1, rated: 0 });
    const matterRow = await firstRow<{ defaults: number; s1: number; rated: number }>(
      t.db,
      sql`SELECT defaults, s1, rated FROM daily_matter_stats WHERE department_id = ${w.deptA.id}`,
    );
    expect(matterRow).toEqual({ defaults: 1, s1: 0, rated: 0 });
    expect((await t.services.stats.verifyRollups()).ok).toBe(true);
  });

  it('a link issued under a longer period keeps its end: no default before the citizen could no longer rate', async () => {
    await enable();
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 8 * DAY, linkValidMs: 10 * DAY });
    expect(await t.services.ratings.giveDefaultRatings()).toBe(0);
    t.clock.set(T0 + 2 * DAY + 1);
    expect(await t.services.ratings.giveDefaultRatings()).toBe(1);
    expect((await defaults())[0]).toMatchObject({ matter_id: m.id, created_at: T0 + 2 * DAY });
  });

  it('only in the counties that enabled it', async () => {
    const cityAdmin = (await t.services.auth.resolveActor(w.cityAdmin.id))!;
    const on = { matters: { linkValidDays: 7, defaultRating: { enabled: true, score: 5 }, smsSign: '' } };
    await t.services.settings.update(cityAdmin, on, w.otherCounty.id);
    await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: T0 - 9 * DAY });
    const inC = await makeMatter(t.db, { codeId: w.codeC.id, departmentId: w.deptC.id, finishedAt: T0 - 9 * DAY });
    expect(await t.services.ratings.giveDefaultRatings()).toBe(1);
    expect(await defaults()).toEqual([expect.objectContaining({ matter_id: inC.id, score: 5 })]);
  });
});
