import { maskPhone } from '../../shared/domain.js';

const PHONE_IN_TEXT = /1[3-9]\d{9}/g;

/**
 * Masks anything that looks like a mainland mobile inside free text (a citizen may type their number
 * into the comment): full numbers leave the server only through the audited phone route.
 */
export function redactPhones(text: string): string {
  return text.replace(PHONE_IN_TEXT, (m) => maskPhone(m) ?? '****');
}
