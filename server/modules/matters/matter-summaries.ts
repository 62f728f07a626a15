// The 办件 as other modules show it (the 差评 case page shows the 办件 its rating rates): a narrow,
// read-only facet of the matters module, built before the cases module (the matters service, which
// needs codes and stats, comes after it), reached through a Pick<> port. Never the applicant's mobile
// in full.
import type { Db } from '../../../db/client.js';
import { findMatterByLinkToken } from '../../../db/queries/matter-ratings.js';
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
      return summary(await q.getMatterById(db, matterId));
    },

    /** The same, by its 办件编号 (a 办不成事 case reported through a rejected 办件's link). */
    async summaryOfProject(projectNo: string): Promise<CaseMatter | null> {
      return summary(await q.getMatter(db, projectNo));
    },

    /**
     * The rejected 办件 behind a 办不成事 link's token (POST /api/public/reports): where its case opens,
     * and until when the link may be used; null when the token is no rejected 办件's link.
     */
    async rejectedByToken(
      token: string,
    ): Promise<{ projectNo: string; codeId: string; departmentId: number; taskName: string; expiresAt: number } | null> {
      const m = token.length <= 128 ? await findMatterByLinkToken(db, token) : undefined;
      if (m?.status !== 'rejected' || m.linkExpiresAt === null) return null;
      const { projectNo, codeId, departmentId, taskName } = m;
      return { projectNo, codeId, departmentId, taskName, expiresAt: m.linkExpiresAt };
    },
  };

  function summary(m: q.MatterRow | undefined): CaseMatter | null {
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
  }
}

export type MatterSummaries = ReturnType<typeof createMatterSummaries>;
