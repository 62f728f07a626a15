// The lists behind the figures (docs/domain.md, Rating: held ratings): a held rating counts in no
// figure, so it is not among the ratings behind one, nor among a department's latest comments —
// until a supervisor releases it. With includeExcluded it is listed (marked flagged) like an excluded one.
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
let device = 0;
const fresh = () => `lister${String(++device).padStart(8, '0')}`;
const get = async (url: string, user: { id: number; role: string } = w.supervisor) => {
  const res = await t.app.inject({ url, headers: bearerFor(t.app, user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const DAY = 'from=2026-11-23&to=2026-11-23';

describe('held ratings and the lists behind the figures', () => {
  it('the ratings behind a figure and the latest comments leave held ratings out until they are released', async () => {
    for (let i = 0; i < 3; i++) await makeRating(t.services, { codeId: w.codeA.id, score: 4, comment: '正常的留言' });
    for (let i = 0; i < 70; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeA.id}/ratings`,
        payload: { score: 5, comment: '刷出来的好评', clientId: fresh() },
        remoteAddress: '10.7.7.7',
      });
      expect(res.statusCode).toBe(201);
    }
    const q = `${DAY}&departmentId=${w.deptA.id}`;
    const summary = await get(`/api/stats/summary?${q}`);
    expect(summary).toMatchObject({ total: 3, held: 70 });

    const list = await get(`/api/stats/ratings?${q}&limit=200`);
    expect(list.total).toBe(3);
    expect(list.ratings).toHaveLength(3);
    expect(list.ratings.some((r: { flagged: boolean }) => r.flagged)).toBe(false);
    // Counted row by row (a filter the rollups do not carry): the same.
    const anonymous = await get(`/api/stats/ratings?${q}&kind=good&realName=false&limit=200`);
    expect(anonymous).toMatchObject({ total: 3 });
    expect(anonymous.ratings).toHaveLength(3);
    const comments = await get(`/api/stats/comments?${q}`, w.headA);
    expect(comments.comments.map((c: { comment: string }) => c.comment)).toEqual(['正常的留言', '正常的留言', '正常的留言']);
    // Asked for every stored rating: the held ones too, flagged.
    const all = await get(`/api/stats/ratings?${q}&includeExcluded=true&limit=200`);
    expect(all.ratings.filter((r: { flagged: boolean }) => r.flagged)).toHaveLength(70);

    const groups = await get('/api/ratings/held/groups');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ratings/decisions',
      headers: bearerFor(t.app, w.supervisor),
      payload: { groupIds: [groups.groups[0].id], decision: 'release', reason: '核实为大厅活动' },
    });
    expect(res.json()).toEqual({ affected: 70 });
    const released = await get(`/api/stats/ratings?${q}&limit=200`);
    expect(released.total).toBe(73);
    expect(released.ratings).toHaveLength(73);
  });
});
