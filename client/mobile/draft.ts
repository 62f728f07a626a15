// The citizen's form as plain data: checks and the request body, kept pure for unit tests.
import type { RatingBody } from './pending';

export interface Draft {
  score: number;
  tags: string[];
  comment: string;
  phone: string;
  consent: boolean;
}

export interface DraftErrors {
  phone?: string;
  consent?: string;
}

/** 11-digit mainland mobile number (DOMAIN.md: the number is asked for, never required). */
export const MOBILE_RE = /^1[3-9]\d{9}$/;

/** Elderly users paste or type "138 1234 5678" or "+86 138…": accept those spellings. */
export function normalizePhone(raw: string): string {
  return raw.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
}

export function checkDraft(d: Draft): DraftErrors {
  const phone = normalizePhone(d.phone);
  const e: DraftErrors = {};
  if (!phone) return e;
  if (!MOBILE_RE.test(phone)) e.phone = '请输入11位手机号码，例如 13812345678';
  if (!d.consent) e.consent = '请勾选同意后再提交；如不愿留电话，请清空号码';
  return e;
}

/** The POST body: optional parts only when given, consent only together with a phone. */
export function buildBody(d: Draft, clientId: string, idempotencyKey: string): RatingBody {
  const b: RatingBody = { score: d.score, tags: d.tags, clientId, idempotencyKey };
  const comment = d.comment.trim();
  const phone = normalizePhone(d.phone);
  if (comment) b.comment = comment;
  if (phone) {
    b.phone = phone;
    b.consent = d.consent;
  }
  return b;
}
