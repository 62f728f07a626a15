// The codes an upward report carries (docs/domain.md, 上报 / Upward reporting): the org unit's 12-digit
// 行政区划代码 (areaCode) and the department's 18-character 统一社会信用代码 (deptCode). Pure checks shared by
// the server (which refuses a bad code with the reason) and the staff app (which checks before sending).
// Each `…Problem` returns the reason in Chinese, or null when the code is valid.

/** GB/T 2260 province-level codes (the first two digits of every 行政区划代码). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
]);

/**
 * 行政区划代码, 12 digits: 省 (2) 市 (2) 县 (2) per GB/T 2260, then 乡镇 (3) and 村 (3) as the statistics
 * division codes extend it. Checked: twelve digits; a real province; below the province at least the city
 * level set (an org unit here is a 市 or 县, never a whole province); and levels nested — once a level is
 * 00/000 every level below it is too (330300000000 a city, 330302000000 a county, 330302001000 a township).
 * Whether the code exists in this year's list is not checked (the list changes every year).
 */
export function areaCodeProblem(code: string): string | null {
  if (!/^\d{12}$/.test(code)) return '行政区划代码应为 12 位数字';
  if (!PROVINCES.has(Number(code.slice(0, 2)))) return `行政区划代码前两位「${code.slice(0, 2)}」不是省级代码`;
  const levels = [code.slice(2, 4), code.slice(4, 6), code.slice(6, 9), code.slice(9, 12)];
  if (/^0+$/.test(levels[0]!)) return '行政区划代码第 3–4 位（地市）不能为 00：这是省级代码';
  for (let i = 1; i < levels.length; i++) {
    if (/^0+$/.test(levels[i - 1]!) && !/^0+$/.test(levels[i]!)) return '行政区划代码层级不符：上一级为零时下一级也应为零';
  }
  return null;
}

export function isAreaCode(code: string): boolean {
  return areaCodeProblem(code) === null;
}

/** GB 32100-2015 table 1: the 31 characters of a credit code (no I, O, Z, S, V), each worth its index. */
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015 table 2: W_i = 3^(i-1) mod 31 for i = 1..17. */
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** GB 11714-1997: the weights of the 组织机构代码's eight body characters. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The 18th character of a credit code from its first 17: C18 = 31 − MOD(Σ Ci × Wi, 31), 31 → 0. */
export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * The 9th character of a 组织机构代码 from its first 8 (digits 0–9, letters A=10 … Z=35):
 * C9 = 11 − MOD(Σ Ci × Wi, 11); 10 is written X, 11 is written 0.
 */
export function orgCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(first8[i]!, 36) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * 统一社会信用代码 (GB 32100-2015), 18 characters: 登记管理部门 (1), 机构类别 (1), 登记管理机关行政区划码 (6),
 * 主体标识码 = 组织机构代码 (9, GB 11714, with its own check digit), 校验码 (1). Checked: length, alphabet,
 * the 6-digit area part, the 组织机构代码's check digit and the 18th character. Expects upper case
 * (normalizeCreditCode first).
 */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return `统一社会信用代码应为 18 位，现为 ${code.length} 位`;
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_ALPHABET.includes(code[i]!)) {
      return `统一社会信用代码第 ${i + 1} 位「${code[i]}」不是有效字符（只用数字和除 I、O、Z、S、V 外的大写字母）`;
    }
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return '统一社会信用代码第 3–8 位应为登记机关的行政区划代码（6 位数字）';
  const org = code.slice(8, 17);
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(org) || orgCheckChar(org) !== org[8]) {
    const expected = /^[0-9A-Z]{8}$/.test(org.slice(0, 8)) ? `：第 17 位应为 ${orgCheckChar(org)}` : '';
    return `统一社会信用代码第 9–17 位（组织机构代码）校验位不符${expected}`;
  }
  const check = creditCheckChar(code);
  if (check !== code[17]) return `统一社会信用代码校验位不符：第 18 位应为 ${check}`;
  return null;
}

export function isCreditCode(code: string): boolean {
  return creditCodeProblem(code) === null;
}

/** As typed: spaces removed, upper case (codes are printed in upper case; people type them either way). */
export function normalizeCreditCode(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}
