import { describe, expect, it } from 'vitest';
import { rankFairly } from '../../server/modules/stats/rankings.js';
import { wilsonLowerBound, Z95 } from '../../server/modules/stats/wilson.js';

describe('Wilson score lower bound (95%)', () => {
  it('matches reference values', () => {
    // Reference values computed independently (Python, same closed form, z = 1.959963984540054).
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.206549, 6);
    expect(wilsonLowerBound(95, 100)).toBeCloseTo(0.88825, 5);
    expect(wilsonLowerBound(5, 10)).toBeCloseTo(0.236593, 6);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(0.722467, 6);
    expect(Z95).toBeCloseTo(1.96, 2);
  });

  it('is 0 without a sample, never NaN', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  it('lies below the observed share and rises with the sample at the same share', () => {
    for (const [k, n] of [
      [1, 2],
      [9, 10],
      [90, 100],
      [900, 1000],
    ] as const) {
      expect(wilsonLowerBound(k, n)).toBeLessThan(k / n);
    }
    expect(wilsonLowerBound(9, 10)).toBeLessThan(wilsonLowerBound(90, 100));
    expect(wilsonLowerBound(90, 100)).toBeLessThan(wilsonLowerBound(900, 1000));
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonLowerBound(3, 2)).toThrow(RangeError);
  });
});

describe('rankFairly', () => {
  const dep = (total: number, goodCount: number, score: number | null = total ? (goodCount / total) * 100 : null) => ({
    total,
    goodCount,
    score,
  });

  it('one lucky 好评 (1/1) does not outrank 95 of 100', () => {
    const ranks = rankFairly([dep(1, 1), dep(100, 95)], 1);
    expect(ranks.map((r) => r.rank)).toEqual([2, 1]);
  });

  it('marks 样本不足 below the minimum sample and leaves it unranked', () => {
    const ranks = rankFairly([dep(9, 9), dep(10, 5), dep(0, 0)], 10);
    expect(ranks).toEqual([
      { rank: null, insufficient: true, goodRateLower: expect.any(Number) },
      { rank: 1, insufficient: false, goodRateLower: expect.any(Number) },
      { rank: null, insufficient: true, goodRateLower: null },
    ]);
  });

  it('ties on the bound are broken by 综合评分, then by 评价数; full ties share a rank', () => {
    const ranks = rankFairly([dep(20, 18, 80), dep(20, 18, 90), dep(20, 18, 90), dep(10, 10, 100)], 10);
    // 10/10 has the higher lower bound (0.722 > 0.699): first, although with fewer ratings.
    expect(wilsonLowerBound(10, 10)).toBeGreaterThan(wilsonLowerBound(18, 20));
    expect(ranks.map((r) => r.rank)).toEqual([4, 2, 2, 1]);
    const byTotal = rankFairly(
      [
        { total: 10, goodCount: 10, score: 100 },
        { total: 10, goodCount: 10, score: 100 },
      ],
      1,
    );
    expect(byTotal.map((r) => r.rank)).toEqual([1, 1]);
  });
});
