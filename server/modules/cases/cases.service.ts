// 差评必查 / 好评抽查: opening cases, the return-visit workflow, the supervisor's queue, the citizen's
// status page. Moves are driven by the table in workflow.ts; writes run in one transaction with their
// timeline event and the rollups (stats.recordCaseChange).
import type { Static } from 'typebox';
import { type Db, lockKey, type Tx } from '../../../db/client.js';
import * as q from '../../../db/queries/cases.js';
import {
  type Assignee,
  type CaseDetail,
  type CaseList,
  type CaseListItem,
  type CaseListQuery as CaseListParams,
  type PublicCaseStatus,
  type RatingHistory,
  REPORT_SUBJECT_MAX,
  type ReportFigures,
  type ReportInput,
} from '../../../shared/api/cases.js';
import { chinaDay } from '../../../shared/china-time.js';
import {
  type CaseKind,
  type CaseStatus,
  COMPLAINT_CHANNEL_LABELS,
  holdRuleLabels,
  MOBILE_PATTERN,
  normalizePhone,
  RATING_CHANNEL_LABELS,
  type RatingChannel,
  ROLE_LABELS,
  UNCLOSED_CASE_STATUSES,
} from '../../../shared/domain.js';
import { BadRequest, Conflict, Forbidden, Gone, NotFound } from '../../errors.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import type { DataCrypto } from '../../lib/crypto.js';
import { redactPhones } from '../../lib/redact.js';
import type { Actor } from '../auth/actor.js';
import type { AuthService } from '../auth/auth.service.js';
import type { MatterSummaries } from '../matters/matter-summaries.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { OrgService } from '../org/org.service.js';
import type { RatingRecords } from '../ratings/rating-records.js';
import type { ReportOutbox } from '../reporting/outbox.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { StatsService } from '../stats/stats.service.js';
import { createCaseViews, scoreLabel } from './case-views.js';
import { createComplaints } from './complaints.js';
import { createCaseLookup } from './lookup.js';
import { createObservations } from './observations.js';
import { createCaseOpener } from './open-case.js';
import { createCasePrivacy } from './privacy.js';
import { createSpotChecks } from './spot-checks.js';
import { applyMove } from './transitions.js';
import { actionableStatuses, allowedMoves, type MoveInput, publicStatusLabel, stateOf, statusLabel, waitingStatuses } from './workflow.js';

/** What a 差评's citizen is told of its case; the ratings module takes it from here, not from the queries. */
export type { CaseFollowUp } from '../../../db/queries/cases.js';

export interface BadRatingForCase {
  id: number;
  codeId: string;
  departmentId: number;
  createdAt: number;
  day: string;
  anonymous: boolean;
  /**
   * The day the deadlines count from, when not the rating's: a held 差评 released by a supervisor gets
   * its case on the day of the release (it could not be followed up while held).
   */
  deadlinesFrom?: string;
  /** How it came to be opened, when not a citizen's rating of today (a questionnaire typed in): the opening's note. */
  note?: string;
}

/** GET /api/cases's query with its comma-separated statuses parsed. */
export type CaseListQuery = Omit<Static<typeof CaseListParams>, 'status'> & { status?: CaseStatus[] };

export interface CasesDeps {
  db: Db;
  clock: Clock;
  random: RandomSource;
  crypto: DataCrypto;
  settings: Pick<SettingsService, 'get' | 'forDepartment' | 'forUnit' | 'calendar'>;
  /** Rollups move in the same transaction as every case change. */
  stats: Pick<StatsService, 'recordCaseChange'>;
  org: Pick<OrgService, 'orgUnitIdsInScope'>;
  notifications: Pick<NotificationsService, 'enqueueForCase'>;
  /** The staff member behind a user id with their scope, for officer checks. */
  auth: Pick<AuthService, 'resolveActor'>;
  /** The rating behind a case: read, excluded after an approved appeal, its phone number erased. */
  ratings: Pick<RatingRecords, 'get' | 'decisionsOf' | 'exclude' | 'phonesToErase' | 'erasePhone' | 'floodOfCase'>;
  /** The 办件 a bound rating rates (一次一评), or a 办不成事 was reported through, as the case page shows it. */
  matters: Pick<MatterSummaries, 'summaryOf' | 'summaryOfProject' | 'departmentOfProject' | 'rejectedByToken'>;
  /** Upward reporting: a closed 差评 case's outcome enters the outbox in the closing transaction. */
  report: Pick<ReportOutbox, 'enqueueCaseResult'>;
}

type KindStatus = { kind: CaseKind; status: CaseStatus };

/** The (kind, status) pairs a list is limited to: the actor's to-do list, whose move it is, or both at once. */
function kindStatusesOf(actor: Pick<Actor, 'role'>, query: Pick<CaseListQuery, 'actionable' | 'waitingOn'>): KindStatus[] | undefined {
  const lists: KindStatus[][] = [];
  if (query.actionable) lists.push(actionableStatuses(actor.role));
  if (query.waitingOn) lists.push(waitingStatuses(query.waitingOn));
  if (lists.length === 0) return undefined;
  const [first, ...rest] = lists;
  return first!.filter((a) => rest.every((l) => l.some((b) => b.kind === a.kind && b.status === a.status)));
}

export function createCasesService(deps: CasesDeps) {
  const { db, clock, settings, stats, random, crypto, notifications, ratings, matters, report } = deps;
  const views = createCaseViews(crypto);
  const today = () => chinaDay(clock.now());

  function statusToken(): string {
    return Buffer.from(random.bytes(18)).toString('base64url');
  }
  const openCaseOfKind = createCaseOpener({ clock, settings, stats, statusToken });

  /** The case list's filter of a query, in the actor's scope (list and count share it). */
  function filterOf(actor: Actor, query: CaseListQuery): q.CaseFilter {
    const sort = query.sort ?? 'newest';
    // The queue is the work still to do: unless statuses are asked for, closed cases are not in it
    // (a county's closed cases grow without end; sorting them all by urgency would be waste).
    const statuses = query.status?.length ? query.status : sort === 'queue' ? [...UNCLOSED_CASE_STATUSES] : undefined;
    const head = actor.role === 'dept_head';
    return {
      departmentIds: [...actor.departmentIds],
      everyDepartment: actor.everyDepartment === true,
      // A head also sees the 不好办 cases their department coordinates on (not their spot checks).
      coordinatingIds: head ? [...actor.departmentIds] : undefined,
      kinds: head ? ['bad_rating', 'cannot_handle', 'complaint', 'observation'] : undefined,
      statuses,
      kindStatuses: kindStatusesOf(actor, query),
      kind: query.kind,
      departmentId: query.departmentId,
      overdue: query.overdue,
      dueOn: query.dueOn,
      openedSince: query.openedSince,
      subject: query.subject?.trim(),
      sort,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
      today: today(),
    };
  }

  /**
   * 好评抽查 checks whether the department steered its ratings, so department heads never see which
   * good ratings were drawn: spot-check cases are outside their scope.
   */
  function kindVisible(actor: Pick<Actor, 'role'>, kind: CaseKind): boolean {
    return kind !== 'spot_check' || actor.role !== 'dept_head';
  }

  /**
   * The case if the actor's scope holds its department, or (不好办) a department it coordinates with;
   * with its coordinating parts. A coordinating department sees the case and records its part, nothing more.
   */
  async function scopedWithParts<T extends q.CaseRow>(actor: Actor, row: T | undefined) {
    const parts = row?.kind === 'cannot_handle' ? await q.listCaseParts(db, row.id) : [];
    if (row && kindVisible(actor, row.kind) && !actor.departmentIds.has(row.departmentId)) {
      if (parts.some((p) => actor.departmentIds.has(p.departmentId))) return { row, parts, home: false };
    }
    return { row: scoped(actor, row), parts, home: true };
  }

  /** The case if the actor's scope holds its department (and kind); otherwise NotFound (never the data). */
  function scoped<T extends { departmentId: number; kind: CaseKind }>(actor: Actor, row: T | undefined): T {
    if (!row || !actor.departmentIds.has(row.departmentId) || !kindVisible(actor, row.kind)) {
      throw new NotFound('案件不存在或不在您的管辖范围内', 'CaseNotFound');
    }
    return row;
  }

  function canViewPhone(actor: Actor, c: { officerId: number | null; departmentId: number }): boolean {
    return actor.departmentIds.has(c.departmentId) && (actor.role === 'supervisor' || c.officerId === actor.id);
  }

  async function listItemById(id: number): Promise<CaseListItem> {
    const row = await q.getCaseListRow(db, id);
    if (!row) throw new NotFound('案件不存在', 'CaseNotFound');
    return views.listItem(row, today());
  }

  async function get(actor: Actor, id: number): Promise<CaseDetail> {
    const { row, parts, home } = await scopedWithParts(actor, await q.getCaseListRow(db, id));
    const rating = row.ratingId === null ? null : (await ratings.get(row.ratingId))!;
    const events = await q.listCaseEvents(db, [id]);
    const coordinating = row.kind === 'cannot_handle' && row.handling === 'hard' && row.status === 'rectifying';
    const partsPending = parts.filter((p) => p.at === null).length;
    return {
      ...views.listItem(row, today()),
      satisfaction: row.satisfaction,
      genuine: row.genuine,
      reopenCount: row.reopenCount,
      visitedAt: row.visitedAt,
      rectifiedAt: row.rectifiedAt,
      answeredAt: row.answeredAt,
      closedAt: row.closedAt,
      escalatedAt: row.escalatedAt,
      updatedAt: row.updatedAt,
      canViewPhone: canViewPhone(actor, row) && (rating ? rating.phoneEnc != null : row.phoneEnc != null),
      canAssign: home && (actor.role === 'supervisor' || actor.role === 'admin') && row.status !== 'closed',
      canCoordinate: home && coordinating && actor.role !== 'admin',
      partDepartmentIds:
        coordinating && actor.role !== 'admin'
          ? parts.filter((p) => actor.departmentIds.has(p.departmentId)).map((p) => p.departmentId)
          : [],
      report:
        row.kind === 'cannot_handle' || row.kind === 'complaint' || row.kind === 'observation'
          ? {
              subject: row.subject,
              description: row.description == null ? '' : redactPhones(row.description),
              phoneMasked: views.maskedPhone(row.phoneEnc),
              phoneErased: row.phoneErasedAt != null,
              channel: row.channel,
              channelLabel: row.channel ? COMPLAINT_CHANNEL_LABELS[row.channel] : null,
              orderNo: row.orderNo,
              receivedOn: row.kind === 'complaint' ? row.ratingDay : null,
            }
          : null,
      parts: parts.map((p) => ({ ...p, note: p.note == null ? null : redactPhones(p.note) })),
      rating: rating && {
        id: rating.id,
        score: rating.score,
        scoreLabel: scoreLabel(rating.score),
        tags: rating.tags,
        comment: rating.comment == null ? null : redactPhones(rating.comment),
        createdAt: rating.createdAt,
        codeId: rating.codeId,
        location: row.location ?? '',
        realName: rating.realName,
        phoneMasked: views.maskedPhone(rating.phoneEnc),
        phoneErased: rating.phoneErasedAt != null,
        excluded: rating.excluded,
        flagged: rating.flagged,
        channel: rating.channel as RatingChannel,
        channelLabel: RATING_CHANNEL_LABELS[rating.channel as RatingChannel] ?? rating.channel,
        assessNumber: rating.assessNumber,
        superseded: rating.superseded,
      },
      // The 办件 its rating rates, or the rejected 办件 a 办不成事 was reported through.
      matter:
        rating?.matterId != null
          ? await matters.summaryOf(rating.matterId)
          : row.kind === 'cannot_handle' && row.projectNo !== null
            ? await matters.summaryOfProject(row.projectNo)
            : null,
      flood: (await ratings.floodOfCase(id)) ?? null,
      events: events.map(views.event),
      allowedMoves: home ? allowedMoves(stateOf(row, partsPending), actor.role) : [],
    };
  }

  /** 不好办: a coordinating department's change of the case (its adding, its part), with its timeline event. */
  async function coordinate(
    actor: Actor,
    id: number,
    change: (tx: Tx, c: q.CaseRow, parts: q.CasePartRow[], now: number) => Promise<{ type: string; note: string; departmentName: string }>,
  ): Promise<CaseDetail> {
    const now = clock.now();
    await db.transaction(async (tx) => {
      const before = await q.getCaseForUpdate(tx, id);
      const parts = before?.kind === 'cannot_handle' ? await q.listCaseParts(tx, id) : [];
      const inScope =
        before &&
        kindVisible(actor, before.kind) &&
        (actor.departmentIds.has(before.departmentId) || parts.some((p) => actor.departmentIds.has(p.departmentId)));
      if (!before || !inScope) throw new NotFound('案件不存在或不在您的管辖范围内', 'CaseNotFound');
      if (before.kind !== 'cannot_handle' || before.handling !== 'hard' || before.status !== 'rectifying') {
        throw new Conflict('只有分类为不好办、正在协调办理的反映才能增加协办部门或记录协办情况', 'NotCoordinating');
      }
      if (actor.role === 'admin') throw new Forbidden('管理员不办理案件');
      const e = await change(tx, before, parts, now);
      await q.insertCaseEvent(tx, {
        caseId: id,
        type: e.type,
        fromStatus: before.status,
        toStatus: before.status,
        at: now,
        byUserId: actor.id,
        note: e.note,
        data: { departmentName: e.departmentName },
        public: false,
      });
      await q.updateCase(tx, id, { updatedAt: now });
    });
    return get(actor, id);
  }

  /** 办不成事 figures of a scope: reports, closed, solved (解决率), by department and 事项. */
  async function reportFigures(scope: Pick<Actor, 'departmentIds'>, from: string, to: string) {
    const list = await q.reportFigures(db, [...scope.departmentIds], from, to);
    // Numbers whatever the driver answers (a raw query's sums are typed, not converted).
    return list.map((r) => ({
      ...r,
      reports: Number(r.reports),
      closed: Number(r.closed),
      solved: Number(r.solved),
      cannot: Number(r.cannot),
      hard: Number(r.hard),
      refused: Number(r.refused),
    }));
  }

  const privacy = createCasePrivacy({ db, clock, settings, ratings, crypto, scoped, canViewPhone });
  const caseLookup = createCaseLookup({ db, clock, crypto, settings });
  const observations = createObservations({ db, clock, settings, matters, views, openCaseOfKind });
  const spotChecks = createSpotChecks({ db, clock, random, settings, stats, org: deps.org, statusToken, listItemById });
  const complaints = createComplaints({ db, clock, crypto, settings, openCaseOfKind });

  return {
    /**
     * 差评必查: opens the case of a 1–2 rating inside the rating's own transaction, with both
     * working-day deadlines counted from the day of the rating on the official calendar, and queues
     * the 新差评 webhook notices (delivered later: a robot never delays or fails a rating).
     */
    async openForBadRating(tx: Tx, rating: BadRatingForCase): Promise<q.CaseRow> {
      // The deadlines of the department's county (docs/domain.md, Settings).
      const { deadlines } = await settings.forDepartment(rating.departmentId);
      const cal = settings.calendar();
      const prefix = `CP${rating.day.replaceAll('-', '')}-`;
      const seq = await q.nextCaseSeq(tx, prefix);
      const row = await q.insertCase(tx, {
        caseNo: `${prefix}${String(seq).padStart(4, '0')}`,
        kind: 'bad_rating',
        status: 'open',
        ratingId: rating.id,
        departmentId: rating.departmentId,
        codeId: rating.codeId,
        ratingDay: rating.day,
        anonymous: rating.anonymous,
        contactDueDate: cal.addWorkingDays(rating.deadlinesFrom ?? rating.day, deadlines.contactWorkingDays),
        dueDate: cal.addWorkingDays(rating.deadlinesFrom ?? rating.day, deadlines.caseWorkingDays),
        statusToken: statusToken(),
        createdAt: rating.createdAt,
        updatedAt: rating.createdAt,
      });
      await q.insertCaseEvent(tx, {
        caseId: row.id,
        type: 'opened',
        toStatus: 'open',
        at: rating.createdAt,
        note:
          [
            rating.note ?? (rating.deadlinesFrom ? '暂扣待核查的差评经督查核实计入，立案' : null),
            rating.anonymous ? '匿名差评：无法电话回访，由部门内部核实' : null,
          ]
            .filter(Boolean)
            .join('；') || null,
        data: { contactDueDate: row.contactDueDate, dueDate: row.dueDate, anonymous: rating.anonymous },
        public: true,
      });
      await stats.recordCaseChange(tx, null, row);
      await notifications.enqueueForCase(tx, 'bad_rating', row);
      return row;
    },

    /** The 差评必查 case of a rating, for the answer to a retried submission. */
    async followUpOfRating(tx: Tx, ratingId: number): Promise<q.CaseFollowUp | undefined> {
      return q.findFollowUpOfRating(tx, ratingId);
    },

    /** A case's receipt by its id: a 差评 attached to a flood's grouped case is answered with that case. */
    async followUpOfCase(tx: Tx, caseId: number): Promise<q.CaseFollowUp | undefined> {
      return q.findFollowUpOfCase(tx, caseId);
    },

    /** Today in China time, per the injected clock. */
    today,

    async list(actor: Actor, query: CaseListQuery): Promise<CaseList> {
      if (query.kind && !kindVisible(actor, query.kind)) return { cases: [], total: 0 };
      const f = filterOf(actor, query);
      const { rows, total } = await q.listCases(db, f);
      return { cases: rows.map((r) => views.listItem(r, f.today)), total };
    },

    /** The `total` of list(actor, query), without its page: the same filter, counted (the 首页's counts). */
    async count(actor: Actor, query: CaseListQuery): Promise<number> {
      if (query.kind && !kindVisible(actor, query.kind)) return 0;
      return q.countCases(db, filterOf(actor, query));
    },

    get,

    /** One move of the workflow (docs/api.md): 404 out of scope, 409 illegal, 403 role, 400 fields. */
    async transition(actor: Actor, id: number, input: MoveInput): Promise<CaseDetail> {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const before = scoped(actor, await q.getCaseForUpdate(tx, id));
        const pending = before.kind === 'cannot_handle' ? (await q.listCaseParts(tx, id)).filter((p) => p.at === null).length : 0;
        await applyMove(tx, { stats, ratings, report, now, actor }, before, stateOf(before, pending), input);
      });
      return get(actor, id);
    },

    /** Assigns the case's officer (who may then see the full phone number); reassignment is an event. */
    async assign(actor: Actor, id: number, officerId: number): Promise<CaseDetail> {
      if (actor.role !== 'supervisor' && actor.role !== 'admin') throw new Forbidden('只有督查或管理员可以指派经办人');
      const now = clock.now();
      // The officer is looked up before the transaction (the auth service reads outside it); the checks
      // below still answer in the same order: case out of scope, case closed, then the officer.
      const officer = await deps.auth.resolveActor(officerId);
      await db.transaction(async (tx) => {
        const before = scoped(actor, await q.getCaseForUpdate(tx, id));
        if (before.status === 'closed') throw new Conflict('案件已办结，不能再指派', 'CaseClosed');
        if (!officer || officer.role === 'admin' || !officer.departmentIds.has(before.departmentId)) {
          throw new BadRequest('经办人必须是管辖该部门的督查或该部门负责人', 'InvalidOfficer');
        }
        // An officer who could not open the case (a department head and a spot check) could not work it.
        if (!kindVisible(officer, before.kind)) {
          throw new BadRequest('好评抽查案件只能指派给督查（部门负责人看不到抽查案件）', 'InvalidOfficer');
        }
        if (before.officerId === officer.id) return;
        const after = await q.updateCase(tx, id, { officerId: officer.id, updatedAt: now });
        await q.insertCaseEvent(tx, {
          caseId: id,
          type: 'assigned',
          fromStatus: before.status,
          toStatus: before.status,
          at: now,
          byUserId: actor.id,
          note: before.officerId == null ? `指派 ${officer.displayName} 为经办人` : `改派 ${officer.displayName} 为经办人`,
          data: { officerId: officer.id, officerName: officer.displayName, previousOfficerId: before.officerId },
          public: false,
        });
        await stats.recordCaseChange(tx, before, after);
      });
      return get(actor, id);
    },

    /** Who may be assigned as the case's officer. */
    async assignees(actor: Actor, id: number): Promise<Assignee[]> {
      const c = scoped(actor, await q.getCase(db, id));
      const users = (await q.listAssignableUsers(db, c.departmentId)).filter((u) => kindVisible({ role: u.role as Actor['role'] }, c.kind));
      return users.map((u) => ({ ...u, roleLabel: ROLE_LABELS[u.role as keyof typeof ROLE_LABELS] ?? u.role }));
    },

    /** 申诉复核 and every other recorded decision on a rating, with the timelines of its cases. */
    async ratingHistory(actor: Actor, ratingId: number): Promise<RatingHistory> {
      const rating = await ratings.get(ratingId);
      if (!rating || !actor.departmentIds.has(rating.departmentId)) throw new NotFound('评价不存在或不在您的管辖范围内', 'RatingNotFound');
      const cases = (await q.listCasesOfRating(db, ratingId)).filter((c) => kindVisible(actor, c.kind));
      const byCase = new Map(cases.map((c) => [c.id, c.caseNo]));
      const caseEvents = await q.listCaseEvents(
        db,
        cases.map((c) => c.id),
      );
      const decisions = await ratings.decisionsOf(ratingId);
      const events: RatingHistory['events'] = caseEvents.map((e) => ({
        ...views.event(e),
        caseId: e.caseId,
        caseNo: byCase.get(e.caseId) ?? '',
      }));
      return {
        rating: {
          id: rating.id,
          score: rating.score,
          scoreLabel: scoreLabel(rating.score),
          departmentId: rating.departmentId,
          createdAt: rating.createdAt,
          excluded: rating.excluded,
          flagged: rating.flagged,
          held: rating.held,
          flagReason: rating.flagReason,
          flagLabels: holdRuleLabels(rating.flagReason),
        },
        decisions: decisions.map((d) => ({
          id: d.id,
          kind: d.kind,
          reason: redactPhones(d.reason),
          caseId: d.caseId,
          decidedBy: d.decidedBy,
          decidedByName: d.decidedByName,
          decidedAt: d.decidedAt,
        })),
        cases: cases.map((c) => ({
          id: c.id,
          caseNo: c.caseNo,
          kind: c.kind,
          status: c.status,
          statusLabel: statusLabel(c.kind, c.status),
        })),
        events,
      };
    },

    /** The citizen's status page: public steps and notes addressed to the citizen only; null if unknown. */
    async publicStatus(token: string): Promise<(PublicCaseStatus & { departmentId: number }) | null> {
      const c = await q.getPublicCaseByToken(db, token);
      if (!c) return null;
      const events = await q.listPublicEvents(db, c.id);
      return {
        caseNo: c.caseNo,
        caseKind: c.kind,
        status: c.status,
        statusLabel: publicStatusLabel(c.kind, c.status, c.anonymous),
        departmentId: c.departmentId,
        departmentName: c.departmentName,
        location: c.location ?? '',
        score: c.score,
        scoreLabel: views.scoreLabelOf(c.score),
        tags: c.tags ?? [],
        // As the staff page shows it: numbers masked (they are masked when stored, too).
        comment: c.comment == null ? null : redactPhones(c.comment),
        subject: c.subject,
        description: c.description == null ? null : redactPhones(c.description),
        anonymous: c.anonymous,
        contactDueDate: c.contactDueDate,
        dueDate: c.dueDate,
        createdAt: c.createdAt,
        events: events.map(views.publicEvent),
      };
    },

    lookup: caseLookup.lookup,

    /**
     * 办不成事 (POST /api/public/reports): a citizen's report at a window's code opens a cannot_handle
     * case in the code's department, with the deadlines of its county (settings cannotHandle); the
     * phone is kept only with consent, encrypted, like a rating's.
     */
    async openReport(input: ReportInput): Promise<{ caseNo: string; statusUrl: string }> {
      const byCode = input.code !== undefined;
      if (byCode === (input.matterToken !== undefined)) {
        throw new BadRequest('请给出评议码（code）或办件反映链接（matterToken）之一，且只能给一个', 'CodeOrMatterToken');
      }
      const description = redactPhones(input.description.trim());
      if (!description) throw new BadRequest('请填写遇到的情况（description）', 'MissingDescription');
      let subject = redactPhones(input.subject?.trim() ?? '') || null;
      let phoneEnc: string | null = null;
      const rawPhone = input.phone?.trim() ?? '';
      if (rawPhone) {
        const phone = normalizePhone(rawPhone);
        if (!MOBILE_PATTERN.test(phone)) throw new BadRequest('手机号（phone）格式不正确，请填写 11 位手机号码', 'InvalidPhone');
        if (input.consent !== true) throw new BadRequest('留下手机号（phone）需同意工作人员使用此号码联系您（consent）', 'ConsentRequired');
        phoneEnc = crypto.encryptPhone(phone);
      }
      // Where the case opens: the code's window, or the rejected 办件's department and window.
      let at: { departmentId: number; codeId: string; projectNo: string | null };
      if (byCode) {
        const code = await q.findCodeForReport(db, input.code!.trim().toUpperCase());
        if (!code) throw new NotFound('评议码（code）不存在，请核对后重试', 'CodeNotFound');
        if (!code.active) throw new Gone('该评议码已停用，请拨打 12345 政务服务便民热线反映', 'CodeDisabled');
        at = { departmentId: code.departmentId, codeId: code.id, projectNo: null };
      } else {
        const m = await matters.rejectedByToken(input.matterToken!);
        if (!m) throw new NotFound('未找到该反映链接（matterToken），请核对短信或二维码，或扫描窗口评议码反映', 'UnknownLink');
        if (clock.now() > m.expiresAt) {
          throw new Gone('该办件的反映期限已过，您仍可扫描窗口评议码或拨打 12345 政务服务便民热线反映', 'LinkExpired');
        }
        at = { departmentId: m.departmentId, codeId: m.codeId, projectNo: m.projectNo };
        subject ??= m.taskName.slice(0, REPORT_SUBJECT_MAX);
      }
      const { cannotHandle } = await settings.forDepartment(at.departmentId);
      const day = today();
      const row = await db.transaction(async (tx) => {
        if (at.projectNo !== null) {
          // One report per 办件: two at once take turns on the 办件's lock (the rating link's too).
          await lockKey(tx, `matter:${at.projectNo}`);
          const reported = await q.findReportOfProject(tx, at.projectNo);
          if (reported) {
            throw new Conflict(`该办件已反映过，受理编号 ${reported.caseNo}，可凭编号查询处理进度`, 'AlreadyReported');
          }
        }
        return openCaseOfKind(tx, {
          kind: 'cannot_handle',
          departmentId: at.departmentId,
          codeId: at.codeId,
          day,
          anonymous: phoneEnc === null,
          contactWorkingDays: cannotHandle.answerWorkingDays,
          caseWorkingDays: cannotHandle.caseWorkingDays,
          columns: { subject, description, phoneEnc, ...(at.projectNo !== null ? { projectNo: at.projectNo } : {}) },
          openedBy: null,
          note: null,
        });
      });
      return { caseNo: row.caseNo, statusUrl: `/s/${row.statusToken}` };
    },

    /** The 办不成事 case reported through a rejected 办件's link (its number, for the 办件's page), if any. */
    async reportOfProject(projectNo: string): Promise<{ id: number; caseNo: string } | null> {
      return (await q.findReportOfProject(db, projectNo)) ?? null;
    },

    /** 不好办: adds a department of the actor's scope to coordinate with (the case's own department excepted). */
    async addDepartment(actor: Actor, id: number, departmentId: number): Promise<CaseDetail> {
      return coordinate(actor, id, async (tx, c, parts, now) => {
        if (!actor.departmentIds.has(c.departmentId)) throw new Forbidden('只有承办部门或督查可以增加协办部门');
        if (departmentId === c.departmentId || (!actor.departmentIds.has(departmentId) && actor.role !== 'supervisor')) {
          throw new BadRequest('协办部门（departmentId）须是承办部门以外、您管辖范围内的部门', 'InvalidDepartment');
        }
        const name = await q.departmentNameInUnitOf(tx, departmentId, c.departmentId);
        if (name === undefined) throw new BadRequest('协办部门（departmentId）不存在或不在本县（区）', 'InvalidDepartment');
        if (parts.some((p) => p.departmentId === departmentId)) throw new Conflict(`${name}已是协办部门`, 'DepartmentAlreadyAdded');
        await q.addCaseDepartment(tx, { caseId: id, departmentId, addedAt: now, addedBy: actor.id });
        return { type: 'department_added', note: `增加协办部门：${name}`, departmentName: name };
      });
    },

    /** 不好办: a coordinating department's head (or a supervisor) records the department's part. */
    async recordPart(actor: Actor, id: number, departmentId: number, note: string): Promise<CaseDetail> {
      const text = redactPhones(note.trim());
      if (!text) throw new BadRequest('请填写本部门的办理情况（note）', 'MissingField');
      return coordinate(actor, id, async (tx, _c, parts, now) => {
        const part = parts.find((p) => p.departmentId === departmentId);
        if (!part) throw new BadRequest('该部门（departmentId）不是本案的协办部门', 'InvalidDepartment');
        if (!actor.departmentIds.has(departmentId)) throw new Forbidden('只能记录本部门的办理情况');
        await q.recordCasePart(tx, { caseId: id, departmentId, note: text, at: now, by: actor.id });
        return { type: 'part_recorded', note: `${part.departmentName}：${text}`, departmentName: part.departmentName };
      });
    },

    /** The same as the dashboard shows it (GET /api/stats/cannot-handle): the period defaults to this month so far. */
    async reportFigureTables(actor: Actor, query: { from?: string; to?: string }): Promise<ReportFigures> {
      const t = today();
      const to = query.to ?? t;
      const from = query.from ?? `${to.slice(0, 8)}01`;
      if (from > to) throw new BadRequest('开始日期（from）不能晚于结束日期（to）', 'InvalidRange');
      const rows = await reportFigures(actor, from, to);
      const rate = (r: { closed: number; solved: number }) => (r.closed === 0 ? null : r.solved / r.closed);
      const sum = (list: typeof rows) => {
        const s = { reports: 0, closed: 0, solved: 0, cannot: 0, hard: 0, refused: 0 };
        for (const r of list) for (const k of Object.keys(s) as (keyof typeof s)[]) s[k] += r[k];
        return { ...s, solveRate: rate(s) };
      };
      const byDept = new Map<number, typeof rows>();
      for (const r of rows) byDept.set(r.departmentId, [...(byDept.get(r.departmentId) ?? []), r]);
      return {
        from,
        to,
        total: sum(rows),
        departments: [...byDept.values()].map((l) => ({
          departmentId: l[0]!.departmentId,
          departmentName: l[0]!.departmentName,
          ...sum(l),
        })),
        subjects: rows.map((r) => ({ ...r, solveRate: rate(r) })),
      };
    },

    /** The per-network limit of the citizen's report route (settings limits.networkPerMinute, as the rating routes). */
    networkPerMinute: () => settings.get().limits.networkPerMinute,

    /**
     * The escalation job: open cases past their whole deadline, or still unvisited past the contact
     * deadline, rise to the supervisor (an event + a 案件超期 notice), once per case.
     */
    async escalateOverdue(): Promise<{ escalated: number }> {
      const now = clock.now();
      const t = chinaDay(now);
      const BATCH = 200;
      let escalated = 0;
      for (;;) {
        const n = await db.transaction(async (tx) => {
          const due = await q.listEscalationDue(tx, t, BATCH);
          for (const c of due) {
            const whole = c.dueDate < t;
            const after = await q.updateCase(tx, c.id, { escalatedAt: now, updatedAt: now });
            await q.insertCaseEvent(tx, {
              caseId: c.id,
              type: 'escalated',
              fromStatus: c.status,
              toStatus: c.status,
              at: now,
              note: whole ? `已超过办结时限（${c.dueDate}），升级督办` : `超过回访时限（${c.contactDueDate}）仍未回访，升级督办`,
              data: { reason: whole ? 'due' : 'contact', dueDate: c.dueDate, contactDueDate: c.contactDueDate },
              public: false,
            });
            await stats.recordCaseChange(tx, c, after);
            await notifications.enqueueForCase(tx, 'case_overdue', after);
          }
          return due.length;
        });
        escalated += n;
        if (n < BATCH) return { escalated };
      }
    },

    observationOptions: observations.options,
    fileObservation: observations.file,
    myObservations: observations.mine,
    observationFigures: observations.figures,
    viewPhone: privacy.viewPhone,
    erasePhones: privacy.erasePhones,
    drawSpotChecks: spotChecks.draw,
    enterComplaint: complaints.enter,
    openWorkOrder: complaints.workOrder,
    complaintFigures: complaints.figures,
    listSpotCheckDraws: spotChecks.listDraws,
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
