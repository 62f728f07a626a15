// 个人信息保护: the full phone number only for a supervisor in scope or the case's officer, every
// view audit-logged; and the scheduled erasure a configurable time after the case closes.
import type { Tx } from '../../../db/client.js';
import { insertAudit, insertErasureAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/cases.js';
import { MS_PER_DAY } from '../../../shared/china-time.js';
import type { CaseKind, CaseStatus } from '../../../shared/domain.js';
import { Forbidden, Gone, NotFound } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type { CasesDeps } from './cases.service.js';
import { PUBLIC_EVENT_LABELS } from './workflow.js';

const ERASE_BATCH = 500;

export function createCasePrivacy(
  deps: Pick<CasesDeps, 'db' | 'clock' | 'settings' | 'ratings' | 'crypto'> & {
    scoped: <T extends { departmentId: number; kind: CaseKind }>(actor: Actor, row: T | undefined) => T;
    canViewPhone: (actor: Actor, c: { officerId: number | null; departmentId: number }) => boolean;
  },
) {
  const { db, clock, settings, ratings, crypto, scoped, canViewPhone } = deps;

  return {
    /** The full number for the return visit; each view is written to the audit log (who, when, which case). */
    async viewPhone(actor: Actor, caseId: number): Promise<{ phone: string }> {
      const c = scoped(actor, await q.getCase(db, caseId));
      if (!canViewPhone(actor, c)) throw new Forbidden('只有督查或该案件的经办人可以查看完整号码', 'PhoneForbidden');
      // A rating's case: the rating's phone; a reported case (办不成事): the report's own.
      const rating = c.ratingId === null ? null : await ratings.get(c.ratingId);
      const held = rating ? { enc: rating.phoneEnc, erasedAt: rating.phoneErasedAt } : { enc: c.phoneEnc, erasedAt: c.phoneErasedAt };
      if (held.erasedAt != null) throw new Gone('该手机号码已按规定删除', 'PhoneErased');
      if (!held.enc) throw new NotFound(rating ? '该评价未留手机号码（匿名评价）' : '反映人未留手机号码', 'NoPhone');
      const phone = crypto.decryptPhone(held.enc);
      await db.transaction(async (tx) => {
        await insertAudit(tx, {
          at: clock.now(),
          userId: actor.id,
          action: 'case.phone_view',
          targetType: 'case',
          targetId: String(c.id),
          detail: { caseNo: c.caseNo, ratingId: c.ratingId },
        });
      });
      return { phone };
    },

    /**
     * The erasure job: phone numbers whose cases all closed more than `privacy.phoneRetentionDays`
     * ago (or, without any case, whose rating is that old) are erased; `realName` stays for the
     * statistics. One audit row per batch and an event on each affected case.
     */
    async erasePhones(): Promise<{ erased: number }> {
      const now = clock.now();
      const days = settings.get().privacy.phoneRetentionDays;
      const cutoff = now - days * MS_PER_DAY;
      /** The case's public timeline says the number is gone (a rating's cases, or a reported case's own). */
      const erasedEvent = (tx: Tx, c: { id: number; status: CaseStatus }) =>
        q.insertCaseEvent(tx, {
          caseId: c.id,
          type: 'phone_erased',
          fromStatus: c.status,
          toStatus: c.status,
          at: now,
          note: `手机号码已按规定删除（办结后保留 ${days} 天）`,
          data: { publicLabel: PUBLIC_EVENT_LABELS.phone_erased },
          public: true,
        });
      let erased = 0;
      for (;;) {
        const n = await db.transaction(async (tx) => {
          const ids = await ratings.phonesToErase(tx, cutoff, ERASE_BATCH);
          for (const ratingId of ids) {
            await ratings.erasePhone(tx, ratingId, now);
            for (const c of await q.listCasesOfRating(tx, ratingId)) await erasedEvent(tx, c);
          }
          if (ids.length > 0) {
            await insertErasureAudit(tx, {
              at: now,
              action: 'privacy.erase_phones',
              targetType: 'rating',
              idsKey: 'ratingIds',
              ids,
              retentionDays: days,
              cutoff,
            });
          }
          return ids.length;
        });
        erased += n;
        if (n < ERASE_BATCH) break;
      }
      // The phones of reported cases (办不成事): kept on the case itself, erased the same time after it closed.
      for (;;) {
        const n = await db.transaction(async (tx) => {
          const due = await q.listReportPhonesToErase(tx, cutoff, ERASE_BATCH);
          for (const c of due) {
            await q.updateCase(tx, c.id, { phoneEnc: null, phoneErasedAt: now });
            await erasedEvent(tx, c);
          }
          if (due.length > 0) {
            await insertErasureAudit(tx, {
              at: now,
              action: 'privacy.erase_phones',
              targetType: 'case',
              idsKey: 'caseIds',
              ids: due.map((c) => c.id),
              retentionDays: days,
              cutoff,
            });
          }
          return due.length;
        });
        erased += n;
        if (n < ERASE_BATCH) return { erased };
      }
    },
  };
}
