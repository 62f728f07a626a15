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
          for (const [i, at] of sorted.entries())
            w.add({ clientHash: `c${i}`, netHash: 'hall-wifi', codeId: 'K', departmentId: 1, at, bad: false, bare: false });
          const expected = Math.min(sorted.filter((at) => at > since).length, cap);
          expect(w.networkAfter('hall-wifi', since, cap)).toBe(expected);
          expect(w.networkAfter('other-network', since, cap)).toBe(0);
        },
      ),
    );
  });

  it("counts a device's ratings per code and per day", () => {
    const w = new AbuseWindows();
    w.add({ clientHash: 'phone', netHash: 'n', codeId: 'A', departmentId: 1, at: 100, bad: false, bare: false });
    w.add({ clientHash: 'phone', netHash: 'n', codeId: 'B', departmentId: 2, at: 200, bad: true, bare: false });
    w.add({ clientHash: 'phone', netHash: 'n', codeId: 'A', departmentId: 1, at: 300, bad: false, bare: true });
    expect(w.deviceOnCodeSince('phone', 'A', 150)).toBe(1);
    expect(w.deviceOnCodeSince('phone', 'A', 0)).toBe(2);
    expect(w.deviceSince('phone', 200)).toBe(2);
    expect(w.deviceSince('phone', 200, false)).toBe(1);
    expect(w.deviceSince('tablet', 0)).toBe(0);
    expect(w.deviceDay('phone', 150, 1)).toEqual({ sameDepartment: 1, codes: ['A', 'B'], departments: [1, 2] });
    expect(w.networkBadAfter('n', 0)).toBe(1);
    expect(w.networkBadAfter('n', 200)).toBe(0);
  });

  it("tallies a network's devices in a department over a China day, and those that only gave bare 5★", () => {
    const w = new AbuseWindows();
    const day = Date.parse('2026-11-23T00:00:00+08:00');
    const add = (clientHash: string, at: number, bare: boolean, departmentId = 1) =>
      w.add({ clientHash, netHash: 'n', codeId: 'A', departmentId, at, bad: false, bare });
    add('p0', day - 60_000, true);
    add('p1', day + 100, true);
    add('p2', day + 110, true);
    add('p2', day + 120, false);
    add('p3', day + 130, true, 2);
    add('p4', day + 140, true);
    expect(w.networkDay('n', day, 1)).toEqual({ ratings: 4, devices: 3, bareDevices: 2 });
    // Only the latest day is kept: the day before was replaced when this one began.
    expect(w.networkDay('n', day - 86_400_000, 1)).toEqual({ ratings: 0, devices: 0, bareDevices: 0 });
    expect(w.networkDay('n', day, 2)).toEqual({ ratings: 1, devices: 1, bareDevices: 1 });
    expect(w.networkDay('other', day, 1)).toEqual({ ratings: 0, devices: 0, bareDevices: 0 });
  });
});
