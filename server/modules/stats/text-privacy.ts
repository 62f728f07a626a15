// Exports and dashboards never show a full phone number (个人信息保护法). Citizens sometimes type
// their number into the comment itself, so comments shown to staff or exported are masked too.

const MOBILE_IN_TEXT = /(?<!\d)(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)/g;

/** Masks every mainland mobile number written inside free text: 13800138000 → 138****8000. */
export function maskPhonesInText(text: string): string {
  return text.replace(MOBILE_IN_TEXT, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`);
}
