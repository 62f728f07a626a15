// A reproducible draw for 好评抽查 (docs/architecture.md §8): sfc32 (Chris Doty-Humphrey's Small Fast Counter,
// as used by PractRand), seeded from SHA-256 of the seed string. Same seed + same ordered input →
// same picks, on any machine; the seed is recorded with the draw so anyone can re-run it.
import { createHash } from 'node:crypto';

/** sfc32: four 32-bit words of state; returns floats in [0, 1). */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A PRNG whose whole state comes from SHA-256(seed). */
export function seededRandom(seed: string): () => number {
  const h = createHash('sha256').update(seed, 'utf8').digest();
  const rand = sfc32(h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12));
  // Discard the first outputs: the recommended warm-up so nearby seeds diverge.
  for (let i = 0; i < 15; i++) rand();
  return rand;
}

/** k items drawn without replacement (partial Fisher–Yates), in draw order. */
export function drawSample<T>(items: readonly T[], k: number, rand: () => number): T[] {
  const pool = [...items];
  const n = Math.min(k, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/**
 * How many of `eligible` ratings a department's draw takes: the configured share rounded UP (so the
 * share is a floor, never undershot), at least `minimum` where any exist, at most all of them.
 */
export function drawCount(eligible: number, share: number, minimum: number): number {
  if (eligible <= 0) return 0;
  // The epsilon keeps 60 × 0.05 = 3.0000000000000004 from becoming 4.
  const byShare = Math.ceil(eligible * share - 1e-9);
  return Math.min(eligible, Math.max(minimum, byShare));
}
