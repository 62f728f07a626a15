import { describe, expect, it } from 'vitest';
import { buildBody, checkDraft, type Draft } from '../../client/mobile/draft';
import { MOBILE_PATTERN as MOBILE_RE, normalizePhone } from '../../shared/domain';

const base: Draft = { score: 2, tags: ['服务态度差'], comment: '', phone: '', consent: false };

describe('citizen form checks', () => {
  it('the phone is optional: no phone, no error, no consent sent', () => {
    expect(checkDraft(base)).toEqual({});
    const b = buildBody(base, 'cid', 'key');
    expect(b).toEqual({ score: 2, tags: ['服务态度差'], clientId: 'cid', idempotencyKey: 'key' });
    expect('phone' in b || 'consent' in b || 'comment' in b).toBe(false);
  });

  it('accepts only 11-digit mainland mobile numbers', () => {
    for (const ok of ['13812345678', '19912345678', '16612345678']) expect(MOBILE_RE.test(ok)).toBe(true);
    for (const bad of ['12812345678', '1381234567', '138123456789', '02112345678', '']) expect(MOBILE_RE.test(bad)).toBe(false);
    expect(checkDraft({ ...base, phone: '1381234567', consent: true }).phone).toMatch(/11位手机号码/);
  });

  it('a phone needs the explicit consent tick', () => {
    expect(checkDraft({ ...base, phone: '13812345678' })).toEqual({ consent: expect.stringMatching(/同意/) });
    expect(checkDraft({ ...base, phone: '13812345678', consent: true })).toEqual({});
  });

  it('tolerates spaces, dashes and +86 the way people type numbers', () => {
    expect(normalizePhone(' 138 1234-5678 ')).toBe('13812345678');
    expect(normalizePhone('+86 138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('8613812345678')).toBe('13812345678');
    const b = buildBody({ ...base, phone: '138 1234 5678', consent: true }, 'cid', 'key');
    expect(b.phone).toBe('13812345678');
    expect(b.consent).toBe(true);
  });

  it('sends a trimmed comment only when there is one', () => {
    expect(buildBody({ ...base, comment: '  等了很久  ' }, 'c', 'k').comment).toBe('等了很久');
    expect(buildBody({ ...base, comment: '   ' }, 'c', 'k').comment).toBeUndefined();
  });
});
