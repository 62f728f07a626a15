// The one masker of mainland mobiles written inside free text (docs/domain.md, 个人信息保护): comments,
// case notes, decision reasons, webhook texts, exports, and any later report use it. A citizen types
// their number the way their keyboard makes it: grouped by spaces or dashes, with dots, full-width
// digits (中文输入法全角), a +86 prefix. Full numbers leave the server only through the audited phone route.
import { maskPhone } from '../../shared/domain.js';

// ASCII and full-width digits.
const DIGIT = '[0-9\\uFF10-\\uFF19]';
// What people put between the digits: spaces (NBSP, full-width, thin, zero-width), dashes of every
// width, dots (ASCII, full-width, 。 and ・ from a Chinese IME). Never a comma, a colon or a newline.
const SEP =
  '[\\t \\u00A0\\u1680\\u2000-\\u200D\\u202F\\u205F\\u2060\\u3000\\uFEFF' +
  '\\-\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D' +
  '.\\u00B7\\u2027\\u3002\\u30FB\\uFF0E\\uFF61]';
// Between two digits of one number: up to three such characters ("138 - 0013 - 8000").
const GAP = `${SEP}{0,3}`;
// +86, ＋86, 0086, 86, (+86): kept out of the masked text with the number.
const PREFIX = `(?:[(（]?(?:[+＋]|00|００)?[8８][6６][)）]?${GAP})?`;
// 1, then 3–9, then nine more digits: 11 digits, any of them separated by a short gap.
const MOBILE = `[1１]${GAP}[3-9３-９](?:${GAP}${DIGIT}){9}`;
// Not a part of a longer number (an 18-digit 办件号, an ID number), not an amount of money.
const PHONE_IN_TEXT = new RegExp(`(?<![0-9\\uFF10-\\uFF19¥￥])${PREFIX}${MOBILE}(?![0-9\\uFF10-\\uFF19]|\\s*[元块圆])`, 'g');

const FULL_WIDTH_ZERO = 0xff10;

/** The 11 digits of a matched number, in ASCII (prefix, separators and full width dropped). */
function digitsOf(match: string): string {
  let digits = '';
  for (const ch of match) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) digits += ch;
    else if (c >= FULL_WIDTH_ZERO && c <= FULL_WIDTH_ZERO + 9) digits += String.fromCharCode(c - FULL_WIDTH_ZERO + 48);
  }
  return digits.slice(-11);
}

/**
 * Masks every mainland mobile written inside free text as the rest of the system shows phones:
 * `回电 +86 138-0013-8000` → `回电 138****8000`. The rest of the text is left as it is.
 */
export function redactPhones(text: string): string {
  return text.replace(PHONE_IN_TEXT, (m) => maskPhone(digitsOf(m)) ?? '****');
}
