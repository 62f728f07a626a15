import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CODE_ID_ALPHABET,
  CODE_ID_MAX_LENGTH,
  CODE_ID_MIN_LENGTH,
  CODE_ID_PATTERN,
  generateCodeId,
  normalizeCodeId,
} from '../../qr-codes/index';

// mulberry32: a tiny seeded generator, so every run draws the same ids.
function seededBytes(seed: number): (n: number) => Uint8Array {
  let a = seed >>> 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

// Replays a fixed byte sequence, to see exactly which bytes are used and which are thrown away.
function scriptedBytes(bytes: number[]): (n: number) => Uint8Array {
  let pos = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = bytes[pos++ % bytes.length];
    return out;
  };
}

describe('code id alphabet', () => {
  it('leaves out the characters people confuse when reading or typing (0 O 1 I L)', () => {
    for (const c of '0O1IL') expect(CODE_ID_ALPHABET).not.toContain(c);
    expect(CODE_ID_ALPHABET).toMatch(/^[0-9A-Z]+$/);
    expect(new Set(CODE_ID_ALPHABET).size).toBe(CODE_ID_ALPHABET.length);
    expect(CODE_ID_ALPHABET.length).toBe(31);
  });

  it('has a schema pattern whose character class is exactly the alphabet', () => {
    const re = new RegExp(CODE_ID_PATTERN);
    for (let cp = 0; cp < 128; cp++) {
      const c = String.fromCharCode(cp);
      expect(re.test(c.repeat(6)), `char ${JSON.stringify(c)}`).toBe(CODE_ID_ALPHABET.includes(c));
    }
    expect(re.test('A'.repeat(CODE_ID_MIN_LENGTH - 1))).toBe(false);
    expect(re.test('A'.repeat(CODE_ID_MIN_LENGTH))).toBe(true);
    expect(re.test('A'.repeat(CODE_ID_MAX_LENGTH))).toBe(true);
    expect(re.test('A'.repeat(CODE_ID_MAX_LENGTH + 1))).toBe(false);
  });
});

describe('generateCodeId', () => {
  it('draws 6 characters from the alphabet by default, matching the schema pattern', () => {
    const source = seededBytes(1);
    const re = new RegExp(CODE_ID_PATTERN);
    for (let i = 0; i < 200; i++) {
      const id = generateCodeId(source);
      expect(id).toHaveLength(6);
      expect(re.test(id)).toBe(true);
      expect(normalizeCodeId(id)).toBe(id);
    }
    expect(generateCodeId(randomBytes)).toMatch(new RegExp(CODE_ID_PATTERN));
  });

  it('is reproducible for a seeded source and gives distinct ids', () => {
    const a = Array.from(
      { length: 5000 },
      (
        (s) => () =>
          generateCodeId(s)
      )(seededBytes(42)),
    );
    const b = Array.from(
      { length: 5000 },
      (
        (s) => () =>
          generateCodeId(s)
      )(seededBytes(42)),
    );
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });

  it('honours the requested length and rejects lengths outside 4..12', () => {
    const source = seededBytes(7);
    expect(generateCodeId(source, 4)).toHaveLength(4);
    expect(generateCodeId(source, 12)).toHaveLength(12);
    for (const bad of [0, 3, 13, 6.5, Number.NaN]) {
      expect(() => generateCodeId(source, bad)).toThrow(RangeError);
    }
  });

  it('throws away bytes 248..255 instead of folding them in (rejection sampling)', () => {
    // 248 = 31 × 8: a byte ≥ 248 taken modulo 31 would favour the first 8 characters.
    const id = generateCodeId(scriptedBytes([248, 255, 0, 30, 31, 249, 247, 62]), 5);
    expect(id).toBe(CODE_ID_ALPHABET[0] + CODE_ID_ALPHABET[30] + CODE_ID_ALPHABET[0] + CODE_ID_ALPHABET[247 % 31] + CODE_ID_ALPHABET[0]);
  });

  it('maps the 248 accepted byte values onto the 31 characters 8 times each', () => {
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const source = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i === 0 ? b : 5));
      const id = generateCodeId(source, 4);
      if (b >= 248) {
        expect(id).toBe(CODE_ID_ALPHABET[5].repeat(4));
      } else {
        expect(id[0]).toBe(CODE_ID_ALPHABET[b % 31]);
        counts.set(id[0], (counts.get(id[0]) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(31);
    for (const n of counts.values()) expect(n).toBe(8);
  });

  it('has no visible bias on a pseudo-random source (chi-square)', () => {
    const source = seededBytes(2024);
    const counts = new Map<string, number>();
    const draws = 31 * 2000;
    for (let i = 0; i < draws / 2; i++) {
      for (const c of generateCodeId(source, 4).slice(0, 2)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = draws / 31;
    let chi2 = 0;
    for (const c of CODE_ID_ALPHABET) chi2 += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
    // 30 degrees of freedom: p = 0.001 at 59.7. A modulo-biased draw scores in the hundreds here.
    expect(chi2).toBeLessThan(59.7);
  });

  it('fails instead of looping forever on a source that only returns unusable bytes', () => {
    expect(() => generateCodeId(() => new Uint8Array(8).fill(255))).toThrow();
  });
});

describe('normalizeCodeId', () => {
  it('trims and upper-cases well-formed input', () => {
    expect(normalizeCodeId('ABC234')).toBe('ABC234');
    expect(normalizeCodeId('  abc234\n')).toBe('ABC234');
    expect(normalizeCodeId('\u3000xyz789\u3000')).toBe('XYZ789'); // full-width spaces from a Chinese IME
  });

  it('rejects malformed input', () => {
    for (const bad of [
      '',
      '   ',
      '../etc',
      'ABC/23',
      'AB%2F3',
      'ABC 234',
      'ABC-234',
      'ABC',
      'A'.repeat(13),
      'A'.repeat(10_000),
      'ABCO23', // O
      'ABC023', // 0
      'ABCI23', // I
      'ABC123', // 1
      'ABCL23', // L
      'abcl23',
      'ＡＢＣ２３４', // full-width letters are not the code
    ]) {
      expect(normalizeCodeId(bad), JSON.stringify(bad.slice(0, 20))).toBeNull();
    }
    for (const notString of [null, undefined, 123456, ['ABC234'], { code: 'ABC234' }]) {
      expect(normalizeCodeId(notString)).toBeNull();
    }
  });
});
