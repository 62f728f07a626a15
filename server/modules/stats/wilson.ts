// Fair rankings (issue 6): a department is ranked by a lower confidence bound of its 好评率, so one
// lucky rating (1/1 好评) cannot top a department with 95 好评 out of 100.

/** z of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval lower bound of a proportion `successes / n` (0 when n = 0).
 * E. B. Wilson (1927); the form used by most "rank by rating" systems.
 */
export function wilsonLowerBound(successes: number, n: number, z: number = Z95): number {
  if (!(n > 0)) return 0;
  if (successes < 0 || successes > n) throw new RangeError(`successes ${successes} outside 0..${n}`);
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const lower = (centre - margin) / (1 + z2 / n);
  // Rounding can leave -1e-17 at p = 0.
  return Math.max(0, lower);
}
