// Text as it is stored (docs/domain.md, 文本的规范化): every string of every JSON body is cleaned once,
// before validation (plugins/validation.ts), so the length limits count what is stored. Dropped:
// - C0 controls but tab, line feed and carriage return; DEL and the C1 controls (invisible, never text);
// - lone surrogates (half of an emoji, a broken client): no valid UTF-8, no valid XML;
// - the noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, U+nFFFE/U+nFFFF): "not for interchange".
// What is left is valid XML 1.0 character data (the Excel export), valid UTF-8 (PostgreSQL, CSV).
// Not NFC: NFC would rewrite the CJK compatibility ideographs (U+F900–U+FAFF) some names are written
// with, and browsers send composed text anyway.

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const NOT_TEXT = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\p{Cs}\p{Noncharacter_Code_Point}]/gu;

/** The text without the code points that are no text (above). */
export function cleanText(text: string): string {
  return text.replace(NOT_TEXT, '');
}

/**
 * Cleans every string of a parsed JSON value, in place where it can (objects and arrays), and answers
 * the value (a string is answered cleaned). Passwords are left as typed: they are never stored as
 * text, only hashed, and a changed password would no longer open its account.
 */
export function cleanStrings(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') return value;
  // A loop, not recursion: a 16 KiB body can nest thousands of levels deep.
  const pending: object[] = [value];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const fields = node as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const v = fields[key];
      if (typeof v === 'string') {
        if (!/password/i.test(key)) fields[key] = cleanText(v);
      } else if (v !== null && typeof v === 'object') pending.push(v);
    }
  }
  return value;
}
