// The 办件 store (docs/domain.md, 办件): business systems push each 办件 by its 办件编号 (PUT, replayable),
// staff and the integration read it back with its ratings, and a finished 办件 gets its one-time rating
// link. A 办件's 办结 is counted in the rollups (评价率's denominator) in the transaction that stores it.
// Pushes go through a group commit, as ratings do: the pushes that arrive together are written in one
// transaction (a business system pushes its 办件 as fast as the hall finishes them).
import { type Db, lockKey, type Tx } from '../../../db/client.js';
import { insertAudit, insertErasureAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/matters.js';
import { renderQrSvg } from '../../../qr-codes/index.js';
import type { PublicCodeInfoT } from '../../../shared/api/codes.js';
import {
  MATTER_FIELD_LABELS,
  type MatterList,
  type MatterListQuery,
  type MatterView,
  type PutMatterInput,
  type RatingLinkView,
} from '../../../shared/api/matters.js';
import { chinaDay, MS_PER_DAY } from '../../../shared/china-time.js';
import { MATTER_STATUS_LABELS, maskPhone, type RatingChannel } from '../../../shared/domain.js';
import { AppError, Conflict, Forbidden, Gone, NotFound } from '../../errors.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import type { DataCrypto } from '../../lib/crypto.js';
import { GroupCommitter } from '../../lib/group-commit.js';
import type { Actor } from '../auth/actor.js';
import type { CasesService } from '../cases/cases.service.js';
import type { CodesService } from '../codes/codes.service.js';
import { auditUserOf, type Caller } from '../integrations/caller.js';
import type { SettingsService } from '../settings/settings.service.js';
import { type MatterFacts, matterFactsOf, type StatsService } from '../stats/stats.service.js';
import { checkMatterFields, type MatterFields } from './matter-fields.js';

/** 24 random bytes: 192 bits, 32 base64url characters. */
const LINK_TOKEN_BYTES = 24;
const ERASE_BATCH = 500;
/** The 事项 name as an SMS quotes it (the whole SMS should stay within one 70-character message). */
const SMS_TASK_NAME_MAX = 16;

/** The fields the 办件 figures are keyed by: fixed once a 办件 is finished (or rejected). */
const FROZEN_FIELDS = ['code', 'taskCode', 'staffName', 'finishedAt'] as const;

/** The one-time rating link's address: `{PUBLIC_BASE_URL}/e/{token}`. */
export function matterLinkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/e/${token}`;
}

function notFound(): NotFound {
  return new NotFound('办件不存在或不在您的管辖范围内', 'MatterNotFound');
}

/** A push, checked as far as it can be without the stored 办件 (before its batch). */
interface Push {
  caller: Caller;
  projectNo: string;
  fields: MatterFields;
  /** The code pushed (cached lookup), or null for an unknown one (refused in the batch, after the 办件's scope). */
  info: PublicCodeInfoT | null;
  now: number;
  /** A rejecting push: the 办不成事 link's period in days (its county's), kept from the rejection on. */
  linkValidDays: number | null;
}

/** What a push stored (or found unchanged), and the 办结 it adds to the batch's rollups. */
interface Pushed {
  created: boolean;
  matter: q.StoredMatter;
  finished: MatterFacts | null;
  /** Where the 办件 was counted before this push (null: new), for matter_status_counts. */
  countedAt: { departmentId: number; status: string } | null;
}

/** What storing or updating one 办件 wrote. */
type Written = Omit<Pushed, 'countedAt'>;

/** A batch's 办件 by 办件编号: as stored before it, then as each push of the batch leaves them. */
type BatchMatters = Map<string, q.StoredMatter>;

export function createMattersService(deps: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  crypto: DataCrypto;
  settings: Pick<SettingsService, 'forDepartment' | 'get'>;
  stats: Pick<StatsService, 'rollupBatch' | 'writeRollups'>;
  codes: Pick<CodesService, 'getPublicInfo'>;
  /** The 办不成事 case a rejected 办件's citizen reported through its link, shown on the 办件. */
  cases: Pick<CasesService, 'reportOfProject'>;
  publicBaseUrl: string;
}) {
  const { db, clock, random, crypto, settings, stats, codes, cases, publicBaseUrl } = deps;

  /** The audit detail naming who called: the integration (its calls have no user) or nothing more. */
  function callerDetail(caller: Caller): Record<string, unknown> {
    return caller.kind === 'integration' ? { integrationId: caller.integration.id, integrationName: caller.integration.name } : {};
  }

  /** The stored values of a row, in the shape of the pushed fields (the phone decrypted, for comparing). */
  function storedFields(m: q.MatterRow): MatterFields {
    return {
      code: m.codeId,
      taskCode: m.taskCode,
      taskName: m.taskName,
      staffName: m.staffName,
      applicantType: m.applicantType,
      applicantPhone: m.applicantPhoneEnc ? crypto.decryptPhone(m.applicantPhoneEnc) : null,
      status: m.status,
      acceptedAt: m.acceptedAt,
      finishedAt: m.finishedAt,
      promisedDate: m.promisedDate,
      source: m.source,
    };
  }

  async function view(m: q.MatterWithNames): Promise<MatterView> {
    return toView(m, await q.ratingsOfMatter(db, m.id));
  }

  function toView(m: q.StoredMatter, ratings: q.MatterRatingRow[]): MatterView {
    return {
      projectNo: m.projectNo,
      status: m.status,
      code: m.codeId,
      departmentId: m.departmentId,
      departmentName: m.departmentName,
      location: m.location,
      taskCode: m.taskCode,
      taskName: m.taskName,
      staffName: m.staffName,
      applicantType: m.applicantType,
      applicantPhone: m.applicantPhoneEnc ? maskPhone(crypto.decryptPhone(m.applicantPhoneEnc)) : null,
      applicantPhoneErased: m.applicantPhoneErasedAt !== null,
      source: m.source,
      acceptedAt: m.acceptedAt,
      finishedAt: m.finishedAt,
      promisedDate: m.promisedDate,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      ratings: ratings.map((r) => ({
        id: r.id,
        score: r.score,
        assessNumber: r.assessNumber ?? 1,
        channel: r.channel as RatingChannel,
        createdAt: r.createdAt,
        superseded: r.superseded,
      })),
    };
  }

  /** A 办件 the caller may see, with its names, or NotFound (never revealing one of another scope). */
  async function scoped(caller: Caller, projectNo: string): Promise<q.MatterWithNames> {
    const m = await q.getMatterWithNames(db, projectNo);
    if (!m || !caller.departmentIds.has(m.departmentId)) throw notFound();
    return m;
  }

  /** Refuses a move out of a final status, and a change of a field the figures are keyed by once final. */
  function checkMove(before: MatterFields, next: MatterFields): void {
    if (before.status === 'accepted') return;
    const label = MATTER_STATUS_LABELS[before.status];
    if (next.status !== before.status) {
      throw new Conflict(
        `办件已${label === '不予受理' ? '不予受理' : '办结'}，状态不能再改为「${MATTER_STATUS_LABELS[next.status]}」（${next.status}）`,
        'IllegalTransition',
      );
    }
    for (const f of FROZEN_FIELDS) {
      if (next[f] !== before[f]) throw new Conflict(`办件已${label}，${MATTER_FIELD_LABELS[f]}不能再修改`, 'MatterFinalized');
    }
  }

  /**
   * One push, in its batch's transaction (or a savepoint of it), seeing the 办件 as the batch's earlier
   * pushes left it. Every refusal (an AppError) comes before the first write: it needs no savepoint.
   */
  async function store(tx: Tx, p: Push, stored: BatchMatters): Promise<Pushed> {
    const before = stored.get(p.projectNo);
    if (before && !p.caller.departmentIds.has(before.departmentId)) {
      throw new Forbidden('该办件编号已由其他地区或部门登记，您无权修改', 'MatterOutOfScope');
    }
    const info = p.info;
    if (!info || !p.caller.departmentIds.has(info.departmentId)) {
      throw new NotFound('评议码（code）不存在或不在您的管辖范围内', 'CodeNotFound');
    }
    // A disabled code only for the 办件 already at that window.
    if (!info.active && before?.codeId !== info.code) {
      throw new Conflict('评议码（code）已停用，不能在此窗口登记新的办件', 'CodeDisabled');
    }
    const written = before ? await update(tx, p, before, info) : await insert(tx, p, info);
    const pushed = { ...written, countedAt: before ? { departmentId: before.departmentId, status: before.status } : null };
    // Only once everything is written: a push that fails leaves the batch's view of its 办件 as it was.
    stored.set(p.projectNo, pushed.matter);
    return pushed;
  }

  // The 办结 of a batch are summed and written once, after the pushes that stored them.
  const committer = new GroupCommitter<Push, Pushed, BatchMatters>(db, store, {
    beforeBatch: async (tx, pushes) => {
      const projectNos = [...new Set(pushes.map((p) => p.projectNo))];
      // Two pushes of one 办件 at once (several instances) take turns.
      await q.lockMatters(tx, projectNos);
      return new Map((await q.storedMatters(tx, projectNos)).map((m) => [m.projectNo, m]));
    },
    afterBatch: async (tx, pushed) => {
      const batch = stats.rollupBatch();
      for (const p of pushed) {
        if (p.finished) batch.addMatterFinished(p.finished);
        batch.countMatter(p.countedAt, p.matter);
      }
      await stats.writeRollups(tx, batch);
    },
    refused: (err) => err instanceof AppError,
  });

  /**
   * A 办件's one-time link (rating or 办不成事): made on the first request (audited), the same one while
   * it is valid, with its QR and an SMS text for the business system's own gateway. `periodEnd`: when
   * the link's period ends if none was kept on the row yet.
   */
  async function issueLink(
    caller: Caller,
    m: q.MatterWithNames,
    periodEnd: number,
    kind: { purpose: 'rating' | 'report'; qrTitle: string; sms: (task: string, url: string, days: number) => string },
  ): Promise<RatingLinkView> {
    const { projectNo } = m;
    const now = clock.now();
    const rules = (await settings.forDepartment(m.departmentId)).matters;
    let token = m.linkToken;
    let expiresAt = m.linkExpiresAt ?? periodEnd;
    if (expiresAt <= now) {
      throw new Gone(kind.purpose === 'rating' ? '评价期限已过，不能再评价' : '反映期限已过，不能再生成反映链接', 'LinkExpired');
    }
    if (token === null) {
      const fresh = Buffer.from(random.bytes(LINK_TOKEN_BYTES)).toString('base64url');
      const stored = await db.transaction(async (tx) => {
        await lockKey(tx, `matter:${projectNo}`);
        const row = (await q.getMatter(tx, projectNo))!;
        // Asked twice at once: the first one's link is everyone's.
        if (row.linkToken !== null && row.linkExpiresAt !== null) return { token: row.linkToken, expiresAt: row.linkExpiresAt };
        await q.updateMatter(tx, row.id, { linkToken: fresh, linkExpiresAt: expiresAt });
        await insertAudit(tx, {
          at: now,
          userId: auditUserOf(caller),
          action: 'matter.link',
          targetType: 'matter',
          targetId: String(row.id),
          detail: { projectNo, expiresAt, ...(kind.purpose === 'report' ? { purpose: 'report' } : {}), ...callerDetail(caller) },
        });
        return { token: fresh, expiresAt };
      });
      token = stored.token;
      expiresAt = stored.expiresAt;
    }
    const url = matterLinkUrl(publicBaseUrl, token);
    const days = Math.max(1, Math.ceil((expiresAt - now) / MS_PER_DAY));
    const sign = rules.smsSign.trim() || `${m.orgUnitName}政务服务`;
    const task = m.taskName.length > SMS_TASK_NAME_MAX ? `${m.taskName.slice(0, SMS_TASK_NAME_MAX - 1)}…` : m.taskName;
    return { url, token, expiresAt, qrSvg: renderQrSvg(url, { title: kind.qrTitle }), smsText: `【${sign}】${kind.sms(task, url, days)}` };
  }

  return {
    /**
     * Stores a pushed 办件 (created, or updated by its 办件编号). The same PUT again changes nothing
     * (no write, no audit row); a 办件 that finishes here is counted in the rollups in the same
     * transaction.
     */
    async put(caller: Caller, projectNo: string, body: PutMatterInput): Promise<{ created: boolean; matter: MatterView }> {
      const now = clock.now();
      const fields = checkMatterFields(body, now);
      const info = await codes.getPublicInfo(fields.code);
      if (info) fields.code = info.code;
      // Read before the batch (no settings read inside its transaction); used only if this push rejects.
      const linkValidDays =
        info && fields.status === 'rejected' ? (await settings.forDepartment(info.departmentId)).matters.linkValidDays : null;
      const { created, matter } = await committer.submit({ caller, projectNo, fields, info, now, linkValidDays });
      // A new 办件 has no ratings yet.
      return { created, matter: toView(matter, created ? [] : await q.ratingsOfMatter(db, matter.id)) };
    },

    /**
     * A 办件 with its ratings (the first one stays, marked superseded once a 追评 replaced it), and a
     * rejected one's 办不成事 case, if its citizen reported one through the link.
     */
    async get(caller: Caller, projectNo: string): Promise<MatterView> {
      const m = await scoped(caller, projectNo);
      const reported = m.status === 'rejected' ? await cases.reportOfProject(projectNo) : null;
      return { ...(await view(m)), reportCase: reported };
    },

    /** The 办件 in the staff member's scope, newest first, a page at a time. */
    async list(actor: Actor, query: MatterListQuery): Promise<MatterList> {
      let departmentIds = [...actor.departmentIds];
      if (query.departmentId !== undefined) {
        if (!actor.departmentIds.has(query.departmentId)) throw new NotFound('部门不存在');
        departmentIds = [query.departmentId];
      }
      const { rows, total } = await q.listMatters(
        db,
        { departmentIds, status: query.status, from: query.from, to: query.to },
        { limit: query.limit ?? 50, offset: query.offset ?? 0 },
      );
      return { matters: rows, total };
    },

    /**
     * The finished 办件's one-time rating link: made on the first request, the same one while it is
     * valid (until 办结 + `matters.linkValidDays`), with its QR and an SMS text for the business
     * system's own gateway.
     */
    async ratingLink(caller: Caller, projectNo: string): Promise<RatingLinkView> {
      const m = await scoped(caller, projectNo);
      if (m.status === 'rejected') {
        throw new Conflict('办件不予受理，不评价；如需让申请人反映“办不成事”，请生成办不成事反映链接（report-link）', 'MatterNotFinished');
      }
      if (m.status !== 'finished' || m.finishedAt === null) {
        throw new Conflict('办件尚未办结，不能生成评价链接', 'MatterNotFinished');
      }
      const rules = (await settings.forDepartment(m.departmentId)).matters;
      return issueLink(caller, m, m.finishedAt + rules.linkValidDays * MS_PER_DAY, {
        purpose: 'rating',
        qrTitle: `办件 ${projectNo} 的评价二维码`,
        sms: (task, url, days) => `您办理的「${task}」已办结，请对本次服务评价：${url}（${days}日内有效）`,
      });
    },

    /**
     * A rejected 办件's 办不成事 link (不予受理/退回): the same one-time link columns (a rejected 办件 is
     * never rated), valid for `matters.linkValidDays` from the rejection; its page is the 办不成事 form,
     * bound to the 办件.
     */
    async reportLink(caller: Caller, projectNo: string): Promise<RatingLinkView> {
      const m = await scoped(caller, projectNo);
      if (m.status !== 'rejected') {
        throw new Conflict('只有不予受理（rejected）的办件才能生成办不成事反映链接', 'MatterNotRejected');
      }
      const rules = (await settings.forDepartment(m.departmentId)).matters;
      // Kept at the rejection (linkExpiresAt); a 办件 rejected before that was kept counts from its
      // 办结 time, else from its last change.
      return issueLink(caller, m, (m.finishedAt ?? m.updatedAt) + rules.linkValidDays * MS_PER_DAY, {
        purpose: 'report',
        qrTitle: `办件 ${projectNo} 的办不成事反映二维码`,
        sms: (task, url, days) =>
          `您申请的「${task}」未能办理。如您认为属于"办不成事"，可点此反映，我们将核实并答复：${url}（${days}日内有效）`,
      });
    },

    /**
     * The erasure job: applicant mobiles of 办件 finished or rejected more than
     * `privacy.phoneRetentionDays` ago are erased (the same period as citizens' numbers). A number once
     * erased is never stored again for that 办件, whatever is pushed later.
     */
    async erasePhones(): Promise<{ erased: number }> {
      const now = clock.now();
      const days = settings.get().privacy.phoneRetentionDays;
      const cutoff = now - days * MS_PER_DAY;
      let erased = 0;
      for (;;) {
        const n = await db.transaction(async (tx) => {
          const ids = await q.mattersWithPhoneToErase(tx, cutoff, ERASE_BATCH);
          if (ids.length === 0) return 0;
          await q.erasePhones(tx, ids, now);
          await insertErasureAudit(tx, {
            at: now,
            action: 'privacy.erase_matter_phones',
            targetType: 'matter',
            idsKey: 'matterIds',
            ids,
            retentionDays: days,
            cutoff,
          });
          return ids.length;
        });
        erased += n;
        if (n < ERASE_BATCH) return { erased };
      }
    },
  };

  /** The columns a push writes, from its fields (the phone given already encrypted, or kept). */
  function pushedColumns(p: Push, info: PublicCodeInfoT, applicantPhoneEnc: string | null): q.PushedMatter {
    const f = p.fields;
    return {
      codeId: f.code,
      departmentId: info.departmentId,
      taskCode: f.taskCode,
      taskName: f.taskName,
      staffName: f.staffName,
      applicantType: f.applicantType,
      applicantPhoneEnc,
      status: f.status,
      source: f.source,
      acceptedAt: f.acceptedAt,
      finishedAt: f.finishedAt,
      finishedDay: f.status === 'finished' && f.finishedAt !== null ? chinaDay(f.finishedAt) : null,
      promisedDate: f.promisedDate,
      updatedAt: p.now,
    };
  }

  /**
   * A push that rejects the 办件 (不予受理/退回) keeps when its 办不成事 link's period ends: from its
   * 办结 time if the push gave one, else from now (the row keeps no other trace of the rejection's time).
   */
  async function keepRejection(tx: Tx, p: Push, id: number): Promise<number | null> {
    if (p.fields.status !== 'rejected' || p.linkValidDays === null) return null;
    const linkExpiresAt = (p.fields.finishedAt ?? p.now) + p.linkValidDays * MS_PER_DAY;
    await q.updateMatter(tx, id, { linkExpiresAt });
    return linkExpiresAt;
  }

  async function insert(tx: Tx, p: Push, info: PublicCodeInfoT): Promise<Written> {
    const { caller, projectNo, fields: f, now } = p;
    const columns = pushedColumns(p, info, f.applicantPhone === null ? null : crypto.encryptPhone(f.applicantPhone));
    const integrationId = caller.kind === 'integration' ? caller.integration.id : null;
    const id = await q.insertPushedMatter(tx, { ...columns, projectNo, integrationId, createdAt: now });
    const linkExpiresAt = await keepRejection(tx, p, id);
    await insertAudit(tx, {
      at: now,
      userId: auditUserOf(caller),
      action: 'matter.create',
      targetType: 'matter',
      targetId: String(id),
      detail: {
        projectNo,
        status: f.status,
        code: f.code,
        taskCode: f.taskCode,
        applicantPhone: f.applicantPhone !== null,
        ...callerDetail(caller),
      },
    });
    const matter: q.StoredMatter = {
      ...columns,
      id,
      projectNo,
      applicantPhoneErasedAt: null,
      integrationId,
      linkToken: null,
      linkExpiresAt,
      ratingCount: 0,
      rated: false,
      firstRatedAt: null,
      createdAt: now,
      departmentName: info.departmentName,
      location: info.location,
    };
    return { created: true, matter, finished: matter.finishedDay === null ? null : matterFactsOf(matter) };
  }

  async function update(tx: Tx, p: Push, before: q.StoredMatter, info: PublicCodeInfoT): Promise<Written> {
    const { caller, now } = p;
    const old = storedFields(before);
    // A number erased by the retention rule is never stored again, whatever a later push carries.
    const f: MatterFields = before.applicantPhoneErasedAt !== null ? { ...p.fields, applicantPhone: null } : p.fields;
    checkMove(old, f);
    const changed = (Object.keys(MATTER_FIELD_LABELS) as (keyof MatterFields)[]).filter((k) => f[k] !== old[k]);
    // The same push again: nothing written, no audit row.
    if (changed.length === 0) return { created: false, matter: before, finished: null };
    const phoneEnc = changed.includes('applicantPhone')
      ? f.applicantPhone === null
        ? null
        : crypto.encryptPhone(f.applicantPhone)
      : before.applicantPhoneEnc;
    const columns = pushedColumns({ ...p, fields: f }, info, phoneEnc);
    await q.updatePushedMatter(tx, before.id, columns);
    const rejectedNow = old.status !== 'rejected' ? await keepRejection(tx, p, before.id) : null;
    // What changed, old and new; the applicant's number never (only that it changed).
    const changes = Object.fromEntries(
      changed.map((k) => [k, k === 'applicantPhone' ? { from: old[k] !== null, to: f[k] !== null } : { from: old[k], to: f[k] }]),
    );
    await insertAudit(tx, {
      at: now,
      userId: auditUserOf(caller),
      action: 'matter.update',
      targetType: 'matter',
      targetId: String(before.id),
      detail: { projectNo: before.projectNo, changes, ...callerDetail(caller) },
    });
    const matter: q.StoredMatter = {
      ...before,
      ...columns,
      linkExpiresAt: rejectedNow ?? before.linkExpiresAt,
      departmentName: info.departmentName,
      location: info.location,
    };
    const finishes = old.status !== 'finished' && f.status === 'finished';
    return { created: false, matter, finished: finishes && matter.finishedDay !== null ? matterFactsOf(matter) : null };
  }
}

export type MattersService = ReturnType<typeof createMattersService>;
