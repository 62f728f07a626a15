// 评价可信度 (docs/domain.md §6.1): per window, its stored ratings of a period against its department's
// baseline, and the three steering signals at their threshold edges (just below: none; at it: the
// signal), through the real route; the thresholds come from the `credibility` settings of the county.

import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows, statement } from '../../db/client.js';
import { QUICK_DEVICES_SQL } from '../../db/queries/credibility.js';
import { ratings } from '../../db/schema.js';
import type { CredibilityResponse, CredibilityWindow } from '../../shared/api/credibility.js';
import { SETTINGS_DEFAULTS } from '../../shared/api/settings.js';
import { chinaDay } from '../../shared/china-time.js';
import { bearerFor, driverUnderTest } from '../helpers/app.js';
import { makeCode, makeDepartment, useTestWorld } from '../helpers/factories.js';
import { HOLD_RULES_OUT_OF_REACH } from '../helpers/limits.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();

/** 30 days up to T0's day: the last 14 (11-10 … 11-23) are signal 3's recent days, the 60 before them its prior days. */
const PERIOD = { from: '2026-10-25', to: '2026-11-23' };
const IN_PERIOD = '2026-11-20';
const RECENT = '2026-11-15';
const PRIOR = '2026-10-01';

interface Code {
  id: string;
  departmentId: number;
}

interface Stored {
  day?: string;
  score?: number;
  tags?: string[];
  comment?: string | null;
  channel?: 'qr' | 'link' | 'kiosk' | 'default';
  flagged?: boolean;
  excluded?: boolean;
  superseded?: boolean;
  held?: boolean;
  matterId?: number | null;
  clientHash?: string;
  createdAt?: number;
}

let seq = 0;

/**
 * Stores `n` ratings of a window as rows (the figures read stored ratings, counted or not); `view`
 * recounts the rollups from them before it reads (signal 3 reads counted ratings, as `npm run recount`
 * would leave them).
 */
async function store(code: Code, n: number, over: Stored = {}): Promise<void> {
  const day = over.day ?? IN_PERIOD;
  const rows = Array.from({ length: n }, () => ({
    codeId: code.id,
    departmentId: code.departmentId,
    score: over.score ?? 5,
    tags: over.tags ?? [],
    comment: over.comment ?? null,
    channel: over.channel ?? 'qr',
    createdAt: over.createdAt ?? Date.parse(`${day}T10:00:00+08:00`) + ++seq,
    day,
    flagged: over.flagged ?? false,
    excluded: over.excluded ?? false,
    superseded: over.superseded ?? false,
    held: over.held ?? false,
    matterId: over.matterId ?? null,
    clientHash: over.clientHash ?? `device-${++seq}`,
  }));
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    await t.db.transaction(async (tx) => {
      await tx.insert(ratings).values(chunk);
    });
  }
}

type User = { id: number; role: string };

async function get(user: User, query: Record<string, string | number> = PERIOD) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return t.app.inject({ method: 'GET', url: `/api/stats/credibility?${qs}`, headers: bearerFor(t.app, user) });
}

async function view(query: Record<string, string | number> = PERIOD, user: User = w.supervisor): Promise<CredibilityResponse> {
  expect((await t.services.stats.rebuildRollups()).ok).toBe(true);
  const res = await get(user, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function windowOf(code: Code, query: Record<string, string | number> = PERIOD): Promise<CredibilityWindow> {
  const found = (await view(query)).windows.find((x) => x.codeId === code.id);
  if (!found) throw new Error(`window ${code.id} not listed`);
  return found;
}

async function setCredibility(change: Partial<typeof SETTINGS_DEFAULTS.credibility>, user: User = w.admin, orgUnitId?: number) {
  const res = await t.app.inject({
    method: 'PATCH',
    url: `/api/settings${orgUnitId ? `?orgUnitId=${orgUnitId}` : ''}`,
    headers: bearerFor(t.app, user),
    payload: { credibility: { ...SETTINGS_DEFAULTS.credibility, ...change } },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A second window of department A: the baseline is over all of the department's windows. */
let codeA2: Code;
beforeEach(async () => {
  codeA2 = await makeCode(t.db, { departmentId: w.deptA.id, location: '县政务服务中心 A区 2号窗口' });
});

describe('figures of a window and its department baseline', () => {
  it('counts every stored rating of the period (counted or not) and compares with all the department’s windows', async () => {
    const link = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    const byDefault = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    await store(w.codeA, 3); // bare 5★
    await store(w.codeA, 1, { tags: ['态度热情'] });
    await store(w.codeA, 1, { score: 4, comment: '很好' });
    await store(w.codeA, 1, { score: 1, tags: ['服务态度差'], flagged: true });
    await store(w.codeA, 1, { channel: 'link', matterId: link.id }); // bare 5★ bound to a 办件
    await store(w.codeA, 1, { channel: 'default', matterId: byDefault.id }); // the system's: not a citizen's
    await store(w.codeA, 1, { excluded: true }); // bare 5★, excluded: still stored
    await store(w.codeA, 1, { held: true }); // bare 5★, held: still stored
    await store(w.codeA, 2, { day: '2026-10-24' }); // the day before the period
    await store(codeA2, 4, { tags: ['办事高效'] });
    await store(w.codeB, 5); // another department: not in A's baseline

    const a = await windowOf(w.codeA);
    expect(a).toMatchObject({
      departmentId: w.deptA.id,
      departmentName: w.deptA.name,
      location: w.codeA.location,
      ratings: 10,
      citizenRatings: 9,
      flagged: 1,
      bound: 2,
      detailed: 3,
      bareFive: 6,
      flaggedShare: 0.1,
      boundShare: 0.2,
      detailShare: 0.3,
      signals: [],
      thresholds: SETTINGS_DEFAULTS.credibility,
    });
    expect(a.bareFiveShare).toBeCloseTo(6 / 9, 12);
    expect(a.baseline).toMatchObject({ ratings: 14, citizenRatings: 13, flagged: 1, bound: 2, detailed: 7, bareFive: 6 });
    expect(a.baseline.bareFiveShare).toBeCloseTo(6 / 13, 12);
    expect(a.baseline.detailShare).toBeCloseTo(7 / 14, 12);
    expect((await windowOf(codeA2)).baseline).toEqual(a.baseline);
    expect((await windowOf(w.codeB)).baseline).toMatchObject({ ratings: 5, bareFive: 5, bareFiveShare: 1 });
  });

  it('keeps the figures as the rating route stores ratings, a burst taken into hold flagged, with no recount', async () => {
    // Only the network burst rule within reach: the fourth rating of one network within 10 minutes
    // takes the three before it into hold with it, and flags them.
    const limits = { ...HOLD_RULES_OUT_OF_REACH, burstPerNetwork: 3, burstWindowMinutes: 10 };
    const res = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearerFor(t.app, w.admin), payload: { limits } });
    expect(res.statusCode, res.body).toBe(200);
    const bodies = [
      { score: 5 },
      { score: 5, tags: ['态度热情'] },
      { score: 4, comment: '很好，谢谢' },
      { score: 1, tags: ['服务态度差'] },
      { score: 5 },
      { score: 3, comment: '一般' },
    ];
    for (const [i, body] of bodies.entries()) {
      // Three from one network, then one more within the window (a burst); the rest from others.
      const ip = i < 4 ? '10.9.9.9' : `10.9.9.${10 + i}`;
      const posted = await t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeA.id}/ratings`,
        payload: { ...body, clientId: `credibility-${i}` },
        remoteAddress: ip,
      });
      expect(posted.statusCode, posted.body).toBe(201);
      t.clock.advance(60_000);
    }
    const res2 = await get(w.supervisor, { from: PERIOD.from, to: chinaDay(t.clock.now()) });
    expect(res2.statusCode, res2.body).toBe(200);
    const a = (res2.json() as CredibilityResponse).windows.find((x) => x.codeId === w.codeA.id);
    // What the view once read from every rating of the period, read from the ratings now.
    const [truth] = await rows<Record<string, number>>(
      t.db,
      sql`SELECT count(*) AS ratings, sum(CASE WHEN flagged = 1 THEN 1 ELSE 0 END) AS flagged,
        sum(CASE WHEN tags <> '[]' OR coalesce(comment, '') <> '' THEN 1 ELSE 0 END) AS detailed,
        sum(CASE WHEN score = 5 AND tags = '[]' AND coalesce(comment, '') = '' THEN 1 ELSE 0 END) AS "bareFive"
      FROM ratings WHERE code_id = ${w.codeA.id}`,
    );
    expect(truth).toEqual({ ratings: 6, flagged: 4, detailed: 4, bareFive: 2 });
    expect(a).toMatchObject({ ratings: 6, citizenRatings: 6, flagged: 4, bound: 0, detailed: 4, bareFive: 2 });
    expect((await t.services.stats.verifyRollups()).mismatches).toEqual([]);
  });

  it('lists only windows with a rating in the period, and nothing for an empty scope', async () => {
    await store(w.codeA, 2);
    await store(codeA2, 3, { day: PRIOR }); // only before the period
    const r = await view();
    expect(r).toMatchObject({ from: PERIOD.from, to: PERIOD.to, total: 1, withSignals: 0 });
    expect(r.windows.map((x) => x.codeId)).toEqual([w.codeA.id]);
    // C's county has nothing: its supervisor sees no window.
    expect(await view(PERIOD, w.otherSupervisor)).toMatchObject({ total: 0, windows: [] });
  });
});

describe('signal 1: bare 5★ far above the department', () => {
  // Window A: 20 citizen ratings, k of them bare 5★; A2: 20 ratings with a reason. Baseline k/40;
  // A's share k/20: k/20 ≥ k/40 + 30 points from k = 12 (60 % against 30 %: exactly 30 points).
  it('fires at exactly 30 points above the baseline, not one rating below', async () => {
    await store(w.codeA, 11);
    await store(w.codeA, 9, { tags: ['态度热情'] });
    await store(codeA2, 20, { tags: ['办事高效'] });
    const below = await windowOf(w.codeA);
    expect(below.bareFiveShare).toBe(0.55);
    expect(below.baseline.bareFiveShare).toBe(0.275);
    expect(below.signals).toEqual([]);

    await t.db.transaction(async (tx) => {
      await tx.delete(ratings);
    });
    await store(w.codeA, 12);
    await store(w.codeA, 8, { tags: ['态度热情'] });
    await store(codeA2, 20, { tags: ['办事高效'] });
    const at = await windowOf(w.codeA);
    expect(at.bareFiveShare).toBe(0.6);
    expect(at.baseline.bareFiveShare).toBe(0.3);
    expect(at.signals).toEqual(['bareFive']);
    expect((await windowOf(codeA2)).signals).toEqual([]);
  });

  // A: 24 of 25 bare (96 %); A2: 25 ratings, m bare. m = 8: baseline 64 %, 1.5× = 96 %: fires; m = 9:
  // baseline 66 %, still 30 points below A, but 1.5× = 99 %: no signal (the ratio decides).
  it('needs the share at least 1.5× the baseline as well', async () => {
    await store(w.codeA, 24);
    await store(w.codeA, 1, { tags: ['态度热情'] });
    await store(codeA2, 9);
    await store(codeA2, 16, { tags: ['办事高效'] });
    const below = await windowOf(w.codeA);
    expect(below.baseline.bareFiveShare).toBe(0.66);
    expect(below.signals).toEqual([]);

    await t.db.transaction(async (tx) => {
      await tx.delete(ratings);
    });
    await store(w.codeA, 24);
    await store(w.codeA, 1, { tags: ['态度热情'] });
    await store(codeA2, 8);
    await store(codeA2, 17, { tags: ['办事高效'] });
    expect((await windowOf(w.codeA)).signals).toEqual(['bareFive']);
  });

  it('says nothing below 20 citizen ratings; a system default rating is no citizen’s', async () => {
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    await store(w.codeA, 19);
    await store(w.codeA, 1, { channel: 'default', matterId: m.id });
    await store(codeA2, 19, { tags: ['办事高效'] });
    const below = await windowOf(w.codeA);
    expect(below).toMatchObject({ ratings: 20, citizenRatings: 19, bareFive: 19, bareFiveShare: 1, signals: [] });

    await store(w.codeA, 1);
    expect((await windowOf(w.codeA)).signals).toEqual(['bareFive']);
  });
});

describe('signal 2: a device rating many 办件 seconds after they finish', () => {
  const FINISHED = Date.parse('2026-11-20T10:00:00+08:00');

  /** Finishes a 办件 at window A and rates it through its link from `clientId`, `afterMs` after 办结. */
  async function rateAfter(clientId: string, afterMs: number, i: number) {
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: FINISHED + i * 3600_000 });
    t.clock.set(m.finishedAt! + afterMs);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/e/${m.linkToken}/ratings`,
      payload: { score: 5, tags: [], clientId, idempotencyKey: `credibility-${clientId}-${i}` },
      remoteAddress: '10.3.3.3',
    });
    expect(res.statusCode, res.body).toBe(201);
    return m;
  }

  it('fires for 5 办件 rated by one device, each within 60 s of its 办结; not for 4', async () => {
    for (let i = 0; i < 4; i++) await rateAfter('staff-phone-0001', 60_000, i);
    // Another device (a citizen's own phone) rating a 5th just as fast is not the same device.
    await rateAfter('citizen-phone-0001', 5_000, 4);
    await t.services.ratings.flush();
    const below = await windowOf(w.codeA);
    expect(below).toMatchObject({ bound: 5, quick: { devices: 0, ratings: 0 }, signals: [] });

    await rateAfter('staff-phone-0001', 1_000, 5);
    await t.services.ratings.flush();
    const at = await windowOf(w.codeA);
    expect(at).toMatchObject({ quick: { devices: 1, ratings: 5 }, signals: ['quickRatings'] });
    expect(at.thresholds).toMatchObject({ quickSeconds: 60, quickMinMatters: 5 });
  });

  it('does not count a rating 61 s after 办结', async () => {
    for (let i = 0; i < 4; i++) await rateAfter('staff-phone-0002', 30_000, i);
    await rateAfter('staff-phone-0002', 61_000, 4);
    await t.services.ratings.flush();
    expect((await windowOf(w.codeA)).quick).toEqual({ devices: 0, ratings: 0 });
  });

  it('reads only the 办件 a citizen first rated within the seconds asked (matters_quick_idx), never every 办件 of the period', async () => {
    const m = await rateAfter('staff-phone-0003', 30_000, 0);
    const late = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: FINISHED + 3600_000 });
    t.clock.set(late.finishedAt! + 2 * 3600_000);
    const posted = await t.app.inject({
      method: 'POST',
      url: `/api/e/${late.linkToken}/ratings`,
      payload: { score: 5, tags: [], clientId: 'citizen-phone-0003', idempotencyKey: 'credibility-late' },
      remoteAddress: '10.3.3.4',
    });
    expect(posted.statusCode, posted.body).toBe(201);
    await t.services.ratings.flush();
    // The rating path keeps each 办件's first citizen rating time.
    const firsts = await rows<{ id: number; first: number | null }>(
      t.db,
      sql`SELECT id, first_rated_at AS first FROM matters WHERE id IN (${m.id}, ${late.id}) ORDER BY id`,
    );
    expect(firsts.map((r) => r.first)).toEqual([m.finishedAt! + 30_000, late.finishedAt! + 2 * 3600_000]);
    // SQLite's plan (PostgreSQL plans its few test rows by what is cheapest for them).
    if (driverUnderTest === 'pg') return;
    const params = {
      departmentId: w.deptA.id,
      days: JSON.stringify(['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']),
      from: '2026-11-20',
      to: '2026-11-23',
      withinMs: 60_000,
      minMatters: 5,
    };
    const plan = (await statement(t.db, `EXPLAIN QUERY PLAN ${QUICK_DEVICES_SQL}`).all<{ detail: string }>(params)).map((r) => r.detail);
    // A seek per day to the 办件 first rated within the seconds asked, from the index alone.
    expect(plan[0]).toBe('SEARCH m USING COVERING INDEX matters_quick_idx (department_id=? AND finished_day=? AND <expr><?)');
  });

  it('leaves the 评价器 out: one tablet for everyone, rating right after 办结 by design', async () => {
    for (let i = 0; i < 6; i++) {
      const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, finishedAt: FINISHED + i * 3600_000 });
      await store(w.codeA, 1, { channel: 'kiosk', matterId: m.id, clientHash: 'the-window-tablet', createdAt: m.finishedAt! + 5_000 });
    }
    expect(await windowOf(w.codeA)).toMatchObject({ bound: 6, quick: { devices: 0 }, signals: [] });
  });
});

describe('signal 3: 差评 vanish after a campaign', () => {
  /**
   * Window A: `recent` citizen ratings in the last 14 days (`recentBad` of them 差评) after `priorBad`
   * 差评 among 20 in the 60 days before; A2 had `otherPriorBad` 差评 among 20 then.
   */
  async function campaign(o: { recent: number; recentBad?: number; priorBad: number; otherPriorBad: number }) {
    await store(w.codeA, o.recent - (o.recentBad ?? 0), { day: RECENT, tags: ['态度热情'] });
    await store(w.codeA, o.recentBad ?? 0, { day: RECENT, score: 2, tags: ['服务态度差'] });
    await store(w.codeA, o.priorBad, { day: PRIOR, score: 1 });
    await store(w.codeA, 20 - o.priorBad, { day: PRIOR, score: 4 });
    await store(codeA2, o.otherPriorBad, { day: PRIOR, score: 2 });
    await store(codeA2, 20 - o.otherPriorBad, { day: PRIOR, score: 5 });
    return windowOf(w.codeA);
  }

  it('fires at 30 recent ratings without a 差评 after 5 差评 at the department’s share', async () => {
    const a = await campaign({ recent: 30, priorBad: 5, otherPriorBad: 5 });
    expect(a.signals).toEqual(['vanishingBad']);
    expect(a.vanish).toEqual({
      recentFrom: '2026-11-10',
      recentTo: '2026-11-23',
      recentRatings: 30,
      recentBad: 0,
      priorFrom: '2026-09-11',
      priorTo: '2026-11-09',
      priorRatings: 20,
      priorBad: 5,
      priorBadShare: 0.25,
      baselinePriorBadShare: 0.25,
    });
  });

  it('counts 差评 as every 差评率 does: one replaced by its 追评 is gone, one excluded on appeal too', async () => {
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    await store(w.codeA, 1, { day: RECENT, score: 2, channel: 'link', matterId: m.id, superseded: true });
    await store(w.codeA, 1, { day: RECENT, score: 1, excluded: true });
    const a = await campaign({ recent: 30, priorBad: 5, otherPriorBad: 5 });
    expect(a).toMatchObject({ ratings: 32, vanish: { recentRatings: 30, recentBad: 0 }, signals: ['vanishingBad'] });
  });

  it('not with 29 recent ratings', async () => {
    expect((await campaign({ recent: 29, priorBad: 5, otherPriorBad: 5 })).signals).toEqual([]);
  });

  it('not with one 差评 left in the recent days', async () => {
    expect((await campaign({ recent: 30, recentBad: 1, priorBad: 5, otherPriorBad: 5 })).signals).toEqual([]);
  });

  it('not after 4 差评 only', async () => {
    expect((await campaign({ recent: 30, priorBad: 4, otherPriorBad: 4 })).signals).toEqual([]);
  });

  it('not for a window whose 差评 share was below its department’s (a steady good window)', async () => {
    const a = await campaign({ recent: 30, priorBad: 5, otherPriorBad: 6 });
    expect(a.vanish).toMatchObject({ priorBadShare: 0.25, baselinePriorBadShare: 0.275 });
    expect(a.signals).toEqual([]);
  });
});

describe('order, paging and thresholds', () => {
  it('lists the windows with most signals first, then the busiest', async () => {
    const busy = await makeCode(t.db, { departmentId: w.deptA.id });
    await store(busy, 60, { tags: ['办事高效'] });
    await store(codeA2, 5, { tags: ['办事高效'] });
    await store(w.codeA, 20); // all bare: bareFive, and (with the 差评 before) vanishingBad
    await store(w.codeA, 10, { day: RECENT, tags: ['态度热情'] });
    await store(w.codeA, 5, { day: PRIOR, score: 1 });
    await store(codeA2, 1, { day: PRIOR, score: 1 });
    const r = await view();
    expect(r).toMatchObject({ total: 3, withSignals: 1 });
    expect(r.windows.map((x) => [x.codeId, x.signals])).toEqual([
      [w.codeA.id, ['bareFive', 'vanishingBad']],
      [busy.id, []],
      [codeA2.id, []],
    ]);
    const page = await view({ ...PERIOD, limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, withSignals: 1 });
    expect(page.windows.map((x) => x.codeId)).toEqual([busy.id]);
  });

  it('lists the windows of every department of a scope larger than the departments read at once', async () => {
    // Nine departments of the county (PostgreSQL reads them four at a time), a window with ratings in each.
    const codes: Code[] = [w.codeA, w.codeB];
    for (let i = 0; i < 7; i++) {
      const department = await makeDepartment(t.db, { orgUnitId: w.county.id });
      codes.push(await makeCode(t.db, { departmentId: department.id }));
    }
    for (const [i, code] of codes.entries()) await store(code, i + 1);
    const r = await view();
    expect(r.total).toBe(codes.length);
    expect(r.windows.map((x) => [x.codeId, x.ratings])).toEqual(codes.map((c, i) => [c.id, i + 1]).reverse());
  });

  it('judges each department by its own county’s thresholds', async () => {
    // A county sets 5 ratings as enough: A's 5 bare 5★ against A2's reasons now say something.
    await store(w.codeA, 5);
    await store(codeA2, 5, { tags: ['办事高效'] });
    await store(w.codeC, 5);
    await store(await makeCode(t.db, { departmentId: w.deptC.id }), 5, { tags: ['办事高效'] });
    expect((await windowOf(w.codeA)).signals).toEqual([]);
    await setCredibility({ bareFiveMinRatings: 5 });
    const a = await windowOf(w.codeA);
    expect(a.signals).toEqual(['bareFive']);
    expect(a.thresholds.bareFiveMinRatings).toBe(5);
    // The city's administrator sees both counties, C still under the platform's 20.
    const city = await view(PERIOD, w.cityAdmin);
    const c = city.windows.find((x) => x.codeId === w.codeC.id)!;
    expect(c).toMatchObject({ signals: [], thresholds: { bareFiveMinRatings: 20 } });
    expect(city.windows.find((x) => x.codeId === w.codeA.id)!.signals).toEqual(['bareFive']);
  });

  it('refuses thresholds out of range, in Chinese', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.admin),
      payload: { credibility: { ...SETTINGS_DEFAULTS.credibility, bareFiveTimesBaseline: 0.5 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'ValidationError', message: 'credibility.bareFiveTimesBaseline超出允许范围' });
    const sources = await t.app.inject({ method: 'GET', url: '/api/settings/sources', headers: bearerFor(t.app, w.admin) });
    expect(sources.json().keys).toContainEqual({ key: 'credibility', scope: 'unit', setHere: false, inheritedFrom: null });
    expect(sources.json().settings.credibility).toEqual(SETTINGS_DEFAULTS.credibility);
  });
});

describe('scope and validation', () => {
  beforeEach(async () => {
    await store(w.codeA, 3);
    await store(w.codeB, 2);
    await store(w.codeC, 1);
  });

  it('a department head gets 403: the view is the supervisors’ (as 好评抽查 and the flagged ratings)', async () => {
    for (const query of [PERIOD, { ...PERIOD, departmentId: w.deptA.id }]) {
      const res = await get(w.headA, query);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: 'Forbidden', message: '无权执行此操作' });
    }
    expect((await get(w.headB, { ...PERIOD, departmentId: w.deptA.id })).statusCode).toBe(403);
  });

  it('a supervisor or administrator sees their own org unit only; another unit’s department is not found', async () => {
    const mine = await view(PERIOD, w.supervisor);
    expect(mine.windows.map((x) => x.codeId).sort()).toEqual([w.codeA.id, w.codeB.id].sort());
    expect((await view(PERIOD, w.admin)).total).toBe(2);
    expect((await view({ ...PERIOD, departmentId: w.deptA.id })).windows.map((x) => x.codeId)).toEqual([w.codeA.id]);
    const other = await view(PERIOD, w.otherSupervisor);
    expect(other.windows.map((x) => x.codeId)).toEqual([w.codeC.id]);
    const res = await get(w.otherSupervisor, { ...PERIOD, departmentId: w.deptA.id });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'NotFound', message: '部门不存在' });
    expect((await view(PERIOD, w.cityAdmin)).total).toBe(3);
  });

  it('answers bad dates and an unknown department with 4xx in Chinese', async () => {
    const cases: Array<[Record<string, string | number>, number, string, string]> = [
      [{ from: '2026-13-01' }, 400, 'ValidationError', '开始日期'],
      [{ from: '2026-11-30', to: '2026-11-01' }, 400, 'InvalidRange', '起始日期不能晚于截止日期'],
      [{ from: '2026-02-30' }, 400, 'InvalidRange', '起始日期 2026-02-30 不是有效日期'],
      [{ from: '2025-01-01', to: '2026-11-23' }, 400, 'InvalidRange', '统计区间最长 366 天'],
      [{ departmentId: 999999 }, 404, 'NotFound', '部门不存在'],
      [{ departmentId: 'abc' }, 400, 'ValidationError', '部门'],
      [{ limit: 501 }, 400, 'ValidationError', '每页条数'],
    ];
    for (const [query, status, error, message] of cases) {
      const res = await get(w.supervisor, query);
      expect(res.statusCode, JSON.stringify(query)).toBe(status);
      expect(res.json().error, JSON.stringify(query)).toBe(error);
      expect(res.json().message, JSON.stringify(query)).toContain(message);
    }
  });
});
