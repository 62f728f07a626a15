// The reasons (settings `tags`) are edited on the settings page: added, renamed, removed, reordered.
// A list never names a reason twice (400 in Chinese, naming the list), and a renamed or removed reason
// stays on the ratings that carry it: ratings are facts, and the figures of their period still show it.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { SETTINGS_DEFAULTS } from '../../shared/api/settings.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();

type User = { id: number; role: string };
const patch = (user: User, payload: object) =>
  t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearerFor(t.app, user), payload });
const rate = (code: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/codes/${code}/ratings`, payload });
const stored = async () => JSON.stringify(await rows(t.db, sql`SELECT org_unit_id, key, value FROM settings ORDER BY id`));
const { good, bad } = SETTINGS_DEFAULTS.tags;

describe('editing the reasons', () => {
  it('refuses a reason listed twice (also once with spaces around it, or in both lists) with 400 naming the list; nothing stored', async () => {
    const before = await stored();
    const twice = await patch(w.admin, { tags: { good, bad: [...bad, '服务态度差'] } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toEqual({
      error: 'InvalidSettings',
      message: '差评理由（tags.bad）中「服务态度差」出现了不止一次：每个理由只能列一次',
    });
    const spaced = await patch(w.admin, { tags: { good: [...good, ' 态度热情 '], bad } });
    expect(spaced.statusCode).toBe(400);
    expect(spaced.json().message).toContain('好评理由（tags.good）中「态度热情」出现了不止一次');
    const both = await patch(w.admin, { tags: { good: [...good, '其他'], bad } });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({
      error: 'InvalidSettings',
      message: expect.stringContaining('「其他」同时列在差评理由（tags.bad）和好评理由（tags.good）中'),
    });
    const blank = await patch(w.admin, { tags: { good, bad: ['服务态度差', '   '] } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().message).toBe('差评理由（tags.bad）第 2 项是空的：请填写理由或删除这一项');
    expect(await stored()).toBe(before);

    // The same reasons once each are fine, stored without the spaces around them, in the order given.
    const ok = await patch(w.admin, { tags: { good, bad: [' 窗口无人/人员不在岗', ...bad.filter((t) => t !== '窗口无人/人员不在岗')] } });
    expect(ok.statusCode).toBe(200);
    expect((await t.services.settings.forUnit(w.county.id)).tags.bad.slice(0, 2)).toEqual(['窗口无人/人员不在岗', '服务态度差']);
  });

  it('a renamed reason stays on the ratings that carry it, and in the figures of their period', async () => {
    expect((await rate(w.codeA.id, { score: 1, tags: ['服务态度差'], clientId: 'device-1' })).statusCode).toBe(201);
    const renamed = bad.map((t) => (t === '服务态度差' ? '服务态度生硬' : t));
    expect((await patch(w.admin, { tags: { good, bad: renamed } })).statusCode).toBe(200);
    // New ratings take the new name only.
    const old = await rate(w.codeA.id, { score: 1, tags: ['服务态度差'], clientId: 'device-2' });
    expect(old.statusCode).toBe(400);
    expect(old.json().error).toBe('InvalidTag');
    expect((await rate(w.codeA.id, { score: 2, tags: ['服务态度生硬'], clientId: 'device-3' })).statusCode).toBe(201);
    // The stored rating is unchanged; the figures count each name as it was chosen (the old one no longer a listed reason).
    expect((await rows<{ tags: string }>(t.db, sql`SELECT tags FROM ratings ORDER BY id`)).map((r) => r.tags)).toEqual([
      '["服务态度差"]',
      '["服务态度生硬"]',
    ]);
    const stats = await t.app.inject({ url: '/api/stats/tags?from=2026-11-01&to=2026-11-30', headers: bearerFor(t.app, w.supervisor) });
    expect(stats.json().tags).toEqual(
      expect.arrayContaining([
        { tag: '服务态度差', kind: 'other', count: 1 },
        { tag: '服务态度生硬', kind: 'bad', count: 1 },
      ]),
    );
  });

  it('the settings page learns every number setting’s allowed range from the server', async () => {
    const res = await t.app.inject({ url: '/api/settings/sources', headers: bearerFor(t.app, w.admin) });
    const ranges = res.json().numberRanges as Array<{ key: string }>;
    expect(ranges).toContainEqual({ key: 'spotCheck.share', minimum: 0, maximum: 1, integer: false });
    expect(ranges).toContainEqual({ key: 'deadlines.caseWorkingDays', minimum: 1, maximum: 90, integer: true });
    expect(ranges).toContainEqual({ key: 'matters.defaultRating.score', minimum: 1, maximum: 5, integer: true });
    // One for every number of the settings, and nothing else.
    const numbers: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (typeof v === 'number') numbers.push(path);
      else if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    };
    walk(SETTINGS_DEFAULTS, '');
    expect(ranges.map((r) => r.key).sort()).toEqual(numbers.sort());
  });
});
