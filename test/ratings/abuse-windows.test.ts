import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbuseWindows } from '../../server/modules/ratings/abuse-windows.js';

describe('anti-manipulation windows', () => {
  it("counts a network's submissions after a time exactly as a walk over every entry would", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 200 }),
        fc.integer({ min: -1, max: 1_001 }),
        fc.integer({ min: 0, max: 250 }),
        (times, since, cap) => {
          const sorted = [...times].sort((a, b) => a - b);
          const w = new AbuseWindows();
          for (const [i, at] of sorted.entries()) w.add({ clientHash: `c${i}`, netHash: 'hall-wifi', codeId: 'K', at });
          const expected = Math.min(sorted.filter((at) => at > since).length, cap);
          expect(w.networkAfter('hall-wifi', since, cap)).toBe(expected);
          expect(w.networkAfter('other-network', since, cap)).toBe(0);
        },
      ),
    );
  });

  it("counts a device's ratings per code and per day", () => {
    const w = new AbuseWindows();
    w.add({ clientHash: 'phone', netHash: 'n', codeId: 'A', at: 100 });
    w.add({ clientHash: 'phone', netHash: 'n', codeId: 'B', at: 200 });
    w.add({ clientHash: 'phone', netHash: 'n', codeId: 'A', at: 300 });
    expect(w.deviceOnCodeSince('phone', 'A', 150)).toBe(1);
    expect(w.deviceOnCodeSince('phone', 'A', 0)).toBe(2);
    expect(w.deviceSince('phone', 200)).toBe(2);
    expect(w.deviceSince('phone', 200, false)).toBe(1);
    expect(w.deviceSince('tablet', 0)).toBe(0);
  });
});
