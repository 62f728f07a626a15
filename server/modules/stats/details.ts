// Breakdowns behind the dashboard figures: per code/window, tags, weekday × hour, latest comments, and
// the ratings behind any figure (masked).

import * as q from '../../../db/queries/stats.js';
import type {
  CodeSort,
  CodeStats,
  CodeStatsQuery,
  CodesResponse,
  CommentsQuery,
  CommentsResponse,
  DeptRangeQuery,
  HeatmapResponse,
  RatingsQuery,
  RatingsResponse,
  TagCount,
  TagsResponse,
} from '../../../shared/api/stats.js';
import { eachDay } from '../../../shared/china-time.js';
import { compareLocations } from '../../../shared/domain.js';
import { NotFound } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { periodOf, rollupScope, type StatsDeps, scopedDepartments, toRatingView } from './context.js';
import { ratingFigures, ratingIndicators } from './indicators.js';
import { weekdayOf } from './period.js';

const MAX_PAGE = 200;

/** The sorts of the per-code list that need every code's figures (the others are orders of the table). */
type FigureSort = Exclude<CodeSort, 'code' | 'location'>;

/** By location as a person reads it (2号窗口 before 10号窗口, the code list's order too), ties by code id. */
function sortByLocation(codes: q.CodeRatingSums[], order: 'asc' | 'desc'): q.CodeRatingSums[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...codes].sort((a, b) => sign * compareLocations(a.location, b.location) || byCodeId(a, b));
}

function figureOf(c: q.CodeRatingSums, sort: FigureSort): number | null {
  return sort === 'submissions' || sort === 'opens' ? c[sort] : ratingFigures(c)[sort];
}

const byCodeId = (a: q.CodeRatingSums, b: q.CodeRatingSums) => (a.codeId < b.codeId ? -1 : a.codeId > b.codeId ? 1 : 0);

/** Codes by a figure: a null (a rate without ratings) last in both orders, ties by code id. */
function sortByFigure(codes: q.CodeRatingSums[], sort: FigureSort, order: 'asc' | 'desc'): q.CodeRatingSums[] {
  const sign = order === 'asc' ? 1 : -1;
  const keyed = codes.map((c) => ({ c, v: figureOf(c, sort) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? byCodeId(a.c, b.c) : a.v === null ? 1 : -1;
    return sign * (a.v - b.v) || byCodeId(a.c, b.c);
  });
  return keyed.map((k) => k.c);
}

export function createStatsDetails(deps: StatsDeps) {
  const { db, settings, crypto } = deps;

  return {
    /**
     * Per code (window): rating indicators; codes of the departments without ratings show zeros. The
     * whole list in scope, or with `limit` one page of it; `total` is the length of the whole list.
     */
    async codes(actor: Actor, query: CodeStatsQuery): Promise<CodesResponse> {
      const p = periodOf(deps, query);
      const depts = await scopedDepartments(deps, actor, query.departmentId);
      const names = new Map(depts.map((d) => [d.id, d.name]));
      const ids = [...names.keys()];
      // Object.assign onto the indicators, not a spread: see indicators() (a county has 308 codes).
      const view = (c: q.CodeRatingSums): CodeStats =>
        Object.assign(ratingIndicators(c), {
          codeId: c.codeId,
          departmentId: c.departmentId,
          departmentName: names.get(c.departmentId) ?? '',
          location: c.location,
          staffName: c.staffName,
          active: c.active === 1,
          submissions: c.submissions,
          opens: c.opens,
        });
      const { sort, limit } = query;
      if (sort === undefined || sort === 'code') {
        // An order of the codes table: SQLite orders and cuts the page, and reads the figures of its codes only.
        const listing = { by: sort ?? 'department', order: query.order ?? 'asc', limit, offset: query.offset } as const;
        const rows = await q.sumRatingsByCode(db, ids, p, listing);
        return { ...p, total: limit === undefined ? rows.length : await q.countCodes(db, ids), codes: rows.map(view) };
      }
      // An order of a figure, or of locations as read: every code is sorted here; only the page is built and sent.
      const every = await q.sumRatingsByCode(db, ids, p);
      const all = sort === 'location' ? sortByLocation(every, query.order ?? 'asc') : sortByFigure(every, sort, query.order ?? 'desc');
      const page = limit === undefined ? all : all.slice(query.offset ?? 0, (query.offset ?? 0) + limit);
      return { ...p, total: all.length, codes: page.map(view) };
    },

    /** Reason tags of counted ratings, most frequent first, with their class from the settings. */
    async tags(actor: Actor, query: DeptRangeQuery): Promise<TagsResponse> {
      const p = periodOf(deps, query);
      const ids = (await scopedDepartments(deps, actor, query.departmentId)).map((d) => d.id);
      const scope = await rollupScope(deps, actor, query.departmentId, async () => ids.map((id) => ({ id })));
      // Each department's county may name its own reasons: a tag is of the class any of them gives it.
      const good = new Set<string>();
      const bad = new Set<string>();
      for (const { tags } of await settings.forDepartments(ids)) {
        for (const t of tags.good) good.add(t);
        for (const t of tags.bad) bad.add(t);
      }
      const kindOf = (t: string): TagCount['kind'] => (bad.has(t) ? 'bad' : good.has(t) ? 'good' : 'other');
      return { ...p, tags: (await q.sumTags(db, scope, p)).map((t) => ({ tag: t.tag, kind: kindOf(t.tag), count: t.count })) };
    },

    /** Counted ratings by weekday (0 = Monday) × hour of day, China time; `bad` counts the 差评. */
    async heatmap(actor: Actor, query: DeptRangeQuery): Promise<HeatmapResponse> {
      const p = periodOf(deps, query);
      const scope = await rollupScope(deps, actor, query.departmentId, () => scopedDepartments(deps, actor, query.departmentId));
      // One sum per weekday over its days of the period (Monday first).
      const days: string[][] = Array.from({ length: 7 }, () => []);
      for (const day of eachDay(p.from, p.to)) days[weekdayOf(day)]!.push(day);
      const sums = await q.sumHoursOfDayGroups(db, scope, days);
      return { ...p, total: sums.map((s) => s.total), bad: sums.map((s) => s.bad) };
    },

    /** The latest comments of the period (text only; phone numbers typed into them are masked). */
    async comments(actor: Actor, query: CommentsQuery): Promise<CommentsResponse> {
      const p = periodOf(deps, query);
      const ids = (await scopedDepartments(deps, actor, query.departmentId)).map((d) => d.id);
      const rows = await q.listRatings(db, { departmentIds: ids, ...p, withComment: true }, Math.min(query.limit ?? 20, MAX_PAGE), 0);
      return {
        ...p,
        comments: rows.map((r) => {
          const v = toRatingView(crypto, r);
          return {
            id: v.id,
            createdAt: v.createdAt,
            time: v.time,
            departmentId: v.departmentId,
            departmentName: v.departmentName,
            location: v.location,
            score: v.score,
            comment: v.comment ?? '',
          };
        }),
      };
    },

    /**
     * The ratings behind a figure, and the 评价 page's list: counted ratings of the filter (or the held
     * ones, asked for), newest first by time, phones masked.
     */
    async ratings(actor: Actor, query: RatingsQuery): Promise<RatingsResponse> {
      const p = periodOf(deps, query);
      const ids = (await scopedDepartments(deps, actor, query.departmentId)).map((d) => d.id);
      if (query.codeId !== undefined && !(await q.codeInDepartments(db, query.codeId, ids))) throw new NotFound('评议码不存在');
      const limit = Math.min(query.limit ?? 50, MAX_PAGE);
      const offset = query.offset ?? 0;
      const filter: q.RatingFilter = {
        departmentIds: ids,
        ...p,
        codeId: query.codeId,
        score: query.score,
        kind: query.kind,
        realName: query.realName,
        tag: query.tag,
        withComment: query.hasComment === true,
        withoutComment: query.hasComment === false,
        held: query.held,
        flagged: query.flagged,
        channel: query.channel,
        bound: query.bound,
        includeExcluded: query.includeExcluded,
        everyDepartment: actor.everyDepartment === true && query.departmentId === undefined,
      };
      // Counted from the units' rollups when the scope is whole units (rollupScope).
      const scope = await rollupScope(deps, actor, query.departmentId, async () => ids.map((id) => ({ id })));
      const count = await q.countRatings(db, filter, scope);
      return {
        ...p,
        total: count.total,
        totalCapped: count.capped,
        limit,
        offset,
        ratings: (await q.listRatings(db, filter, limit, offset)).map((r) => toRatingView(crypto, r)),
      };
    },
  };
}
