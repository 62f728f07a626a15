/**
 * Code ids (评议码) are printed under the QR, read aloud over the phone and typed by citizens whose
 * camera failed, so the alphabet leaves out the characters people confuse: 0/O, 1/I/L.
 * A code id never changes meaning once printed (docs/domain.md "Codes"), so ids are only ever generated,
 * never derived from mutable data such as the department name.
 */

export const CODE_ID_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_ID_MIN_LENGTH = 4;
export const CODE_ID_MAX_LENGTH = 12;
export const CODE_ID_DEFAULT_LENGTH = 6;

/** JSON-schema `pattern` for a canonical (upper-case) code id; the character class equals CODE_ID_ALPHABET. */
export const CODE_ID_PATTERN = `^[2-9A-HJKMNP-Z]{${CODE_ID_MIN_LENGTH},${CODE_ID_MAX_LENGTH}}$`;

const CODE_ID_REGEX = new RegExp(CODE_ID_PATTERN);

// Longer inputs cannot be a code after trimming anything sensible; refuse them before doing any work.
const MAX_RAW_INPUT_LENGTH = 64;

/**
 * Canonical form of a code typed or pasted by a person (trimmed, upper case), or null when it is not
 * a well-formed code id. Lower case is accepted here only; everything stored and printed is upper case.
 */
export function normalizeCodeId(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_RAW_INPUT_LENGTH) return null;
  const candidate = input.trim().toUpperCase();
  return CODE_ID_REGEX.test(candidate) ? candidate : null;
}

/** Source of cryptographically strong bytes, e.g. `randomBytes` from node:crypto. */
export type RandomBytes = (n: number) => Uint8Array;

// 256 is not a multiple of 31: bytes >= 248 (= 31 * 8) would make the first 8 characters more likely,
// so they are thrown away (rejection sampling) instead of folded in with a modulo.
const ACCEPT_BELOW = 256 - (256 % CODE_ID_ALPHABET.length);

// A source that keeps returning only rejected bytes is broken; fail loudly rather than spin forever.
const MAX_DRAW_ROUNDS = 1000;

/**
 * A fresh random code id (unbiased over CODE_ID_ALPHABET). The caller must still check it is unused:
 * codes are never reused, even after being disabled.
 */
export function generateCodeId(randomBytes: RandomBytes, length: number = CODE_ID_DEFAULT_LENGTH): string {
  if (!Number.isInteger(length) || length < CODE_ID_MIN_LENGTH || length > CODE_ID_MAX_LENGTH) {
    throw new RangeError(`code id length must be an integer from ${CODE_ID_MIN_LENGTH} to ${CODE_ID_MAX_LENGTH}, got ${length}`);
  }
  let id = '';
  for (let round = 0; id.length < length; round++) {
    if (round >= MAX_DRAW_ROUNDS) throw new Error('random source returned only unusable bytes');
    // Ask for a few spare bytes so one rejected byte rarely costs another call.
    const bytes = randomBytes(length - id.length + 2);
    for (let i = 0; i < bytes.length && id.length < length; i++) {
      const b = bytes[i];
      if (b < ACCEPT_BELOW) id += CODE_ID_ALPHABET[b % CODE_ID_ALPHABET.length];
    }
  }
  return id;
}
