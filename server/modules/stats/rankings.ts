import { wilsonLowerBound } from './wilson.js';

export interface Rankable {
  total: number;
  goodCount: number;
  score: number | null;
}

export interface RankInfo {
  /** 1-based; null when the sample is too small (样本不足). */
  rank: number | null;
  insufficient: boolean;
  /** Wilson 95% lower bound of 好评率 (the ranking key); null without ratings. */
  goodRateLower: number | null;
}

/**
 * Ranks departments fairly (issue 6): fewer than `minSample` counted ratings → shown as 样本不足 and
 * not ranked; the others by the Wilson lower bound of 好评率, ties by 综合评分 then by 评价数.
 * Entries equal on all three share a rank (1, 1, 3). Returns one RankInfo per input, same order.
 */
export function rankFairly<T extends Rankable>(rows: readonly T[], minSample: number): RankInfo[] {
  const info: RankInfo[] = rows.map((r) => ({
    rank: null,
    insufficient: r.total < minSample,
    goodRateLower: r.total > 0 ? wilsonLowerBound(r.goodCount, r.total) : null,
  }));
  const ranked = rows.map((_, i) => i).filter((i) => !info[i]!.insufficient);
  // Compared field by field (no key arrays: this runs on every dashboard request).
  const cmp = (a: number, b: number): number => {
    const la = info[a]!.goodRateLower ?? 0;
    const lb = info[b]!.goodRateLower ?? 0;
    if (la !== lb) return lb - la;
    const sa = rows[a]!.score ?? 0;
    const sb = rows[b]!.score ?? 0;
    if (sa !== sb) return sb - sa;
    return rows[b]!.total - rows[a]!.total;
  };
  ranked.sort((a, b) => cmp(a, b) || a - b);
  ranked.forEach((idx, pos) => {
    const prev = ranked[pos - 1];
    info[idx]!.rank = prev !== undefined && cmp(prev, idx) === 0 ? info[prev]!.rank : pos + 1;
  });
  return info;
}

/** Order for display: ranked first by rank, then 样本不足 by 评价数 (most first), stable otherwise. */
export function byRankThenSample<T extends RankInfo & { total: number }>(a: T, b: T): number {
  if (a.rank !== null && b.rank !== null) return a.rank - b.rank;
  if (a.rank !== null) return -1;
  if (b.rank !== null) return 1;
  return b.total - a.total;
}
