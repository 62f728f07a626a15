import { randomBytes } from 'node:crypto';

/** Time comes from an injected clock so tests control deadlines and overdue (docs/architecture.md §8). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can move by hand. */
export function manualClock(start: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Randomness source; reproducible draws use their own seeded PRNG instead. */
export interface RandomSource {
  bytes(n: number): Uint8Array;
}

export const cryptoRandom: RandomSource = { bytes: (n) => randomBytes(n) };
