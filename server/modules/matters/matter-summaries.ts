// The 办件 as other modules show it (the 差评 case page shows the 办件 its rating rates): a narrow,
// read-only facet of the matters module, built before the cases module (the matters service, which
// needs codes and stats, comes after it), reached through a Pick<> port. Never the applicant's mobile
// in full.
import type { Db } from '../../../db/client.js';
import * as q from '../../../db/queries/matters.js';
import type { CaseMatter } from '../../../shared/api/cases.js';
import { APPLICANT_TYPE_LABELS, MATTER_SOURCE_LABELS, MATTER_STATUS_LABELS, maskPhone } from '../../../shared/domain.js';
import type { DataCrypto } from '../../lib/crypto.js';

export function createMatterSummaries(deps: { db: Db; crypto: Pick<DataCrypto, 'decryptPhone'> }) {
  const { db, crypto } = deps;

  function maskedPhone(enc: string | null): string | null {
    if (!enc) return null;
    try {
      return maskPhone(crypto.decryptPhone(enc));
    } catch {
      // Undecryptable (key rotated?): show that a number exists without revealing anything.
      return '***********';
    }
  }

  return {
    /** The department of a 办件 by its 办件编号 (an observation report names one); null when unknown. */
    async departmentOfProject(projectNo: string): Promise<number | null> {
      return (await q.getMatter(db, projectNo))?.departmentId ?? null;
    },

    /** The 办件 of a rating's `matter_id`: its number, 事项, 经办人, applicant type and dates. */
    async summaryOf(matterId: number): Promise<CaseMatter | null> {
      const m = await q.getMatterById(db, matterId);
      if (!m) return null;
      return {
        projectNo: m.projectNo,
        codeId: m.codeId,
        taskCode: m.taskCode,
        taskName: m.taskName,
        staffName: m.staffName,
        applicantType: m.applicantType,
        applicantTypeLabel: m.applicantType ? APPLICANT_TYPE_LABELS[m.applicantType] : null,
        applicantPhoneMasked: maskedPhone(m.applicantPhoneEnc),
        source: m.source,
        sourceLabel: m.source ? MATTER_SOURCE_LABELS[m.source] : null,
        status: m.status,
        statusLabel: MATTER_STATUS_LABELS[m.status],
        acceptedAt: m.acceptedAt,
        finishedAt: m.finishedAt,
        promisedDate: m.promisedDate,
      };
    },
  };
}

export type MatterSummaries = ReturnType<typeof createMatterSummaries>;
