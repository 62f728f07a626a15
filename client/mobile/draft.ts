// The citizen's form as plain data: checks and the request body, kept pure for unit tests.
import { MOBILE_PATTERN, normalizePhone } from '../../shared/domain.js';
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

/**
 * The phone is asked for, never required (docs/domain.md); one given must be a mainland mobile, typed the
 * way elderly users do ("138 1234 5678", "+86 138…"), and comes with the explicit consent tick.
 */
export function checkDraft(draft: Draft): DraftErrors {
  const phone = normalizePhone(draft.phone);
  const errors: DraftErrors = {};
  if (!phone) return errors;
  if (!MOBILE_PATTERN.test(phone)) errors.phone = '请输入11位手机号码，例如 13812345678';
  if (!draft.consent) errors.consent = '请勾选同意后再提交；如不愿留电话，请清空号码';
  return errors;
}

/** The POST body: optional parts only when given, consent only together with a phone. */
export function buildBody(draft: Draft, clientId: string, idempotencyKey: string): RatingBody {
  const body: RatingBody = { score: draft.score, tags: draft.tags, clientId, idempotencyKey };
  const comment = draft.comment.trim();
  const phone = normalizePhone(draft.phone);
  if (comment) body.comment = comment;
  if (phone) {
    body.phone = phone;
    body.consent = draft.consent;
  }
  return body;
}
