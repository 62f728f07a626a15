// The citizen's rating: validation with Chinese messages, anti-manipulation rules, storage with
// the 差评必查 case in the same transaction. This is the hottest route: no work here that could be
// done at start, prepared statements only, writes grouped into shared transactions.
import { type Db, isUniqueViolation, type Tx } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as hq from '../../../db/queries/holds.js';
import * as mq from '../../../db/queries/matter-ratings.js';
import * as q from '../../../db/queries/ratings.js';
import { REPORT_DESCRIPTION_MAX, REPORT_SUBJECT_MAX } from '../../../shared/api/cases.js';
import type { MatterData, ReportData } from '../../../shared/api/citizen-page.js';
import type { PublicCodeInfoT } from '../../../shared/api/codes.js';
import type {
  FlaggedRating,
  FollowUp,
  PaperBodyT,
  PaperCreated,
  PaperForm,
  RatingBodyT,
  RatingCreated,
} from '../../../shared/api/ratings.js';
import type { Settings } from '../../../shared/api/settings.js';
import {
  addDays,
  CHINA_OFFSET_MS,
  chinaDay,
  chinaDayNumber,
  chinaHour,
  chinaMinute,
  dayNumber,
  MS_PER_DAY,
  MS_PER_HOUR,
  monthDay,
  parseDay,
} from '../../../shared/china-time.js';
import {
  COMMENT_MAX,
  type HoldRule,
  isBadScore,
  MAX_ASSESS_NUMBER,
  MOBILE_PATTERN,
  normalizePhone,
  PAPER_ENTRIES_MAX,
  RATING_CHANNEL_LABELS,
  type RatingChannel,
  SCORE_LABELS,
  type Score,
} from '../../../shared/domain.js';
import { BadRequest, Conflict, type EntryError, Gone, InvalidEntries, NotFound, TooMany } from '../../errors.js';
import { cleanText } from '../../lib/clean-text.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import type { DataCrypto } from '../../lib/crypto.js';
import { GroupCommitter } from '../../lib/group-commit.js';
import { redactPhones } from '../../lib/redact.js';
import type { Actor } from '../auth/actor.js';
import type { CaseFollowUp, CasesService } from '../cases/cases.service.js';
import type { CodesService } from '../codes/codes.service.js';
import type { OrgService } from '../org/org.service.js';
import type { ReportOutbox, StoredRatingForReport } from '../reporting/outbox.js';
import type { SettingsService } from '../settings/settings.service.js';
import { type MatterFacts, matterFactsOf, type RatingFacts, ratingFactsOf, type StatsService } from '../stats/stats.service.js';
import { AbuseWindows, WINDOW_RETENTION_MS, type WindowEntry } from './abuse-windows.js';

/** What the rating path asks of the codes module: a code's public info (cached there). */
export type CodeLookup = Pick<CodesService, 'getPublicInfo'>;
/** What typing ratings in asks of it besides: a code of the staff member's scope, with its dates. */
type ScopedCodeLookup = CodeLookup & Pick<CodesService, 'scopedCode'>;

/** What the rating path asks of the cases module: the 差评必查 case, opened or found again. */
type CaseLookup = Pick<CasesService, 'openForBadRating' | 'followUpOfRating' | 'followUpOfCase'>;

export interface SubmitInput {
  code: string;
  body: RatingBodyT;
  /** The citizen's network address (after TRUST_PROXY). */
  ip: string;
  userAgent: string;
}

export type SubmitResult = RatingCreated & {
  /** 201 for a new rating, 200 for a retry of an already stored one. */
  created: boolean;
  /** A 办件's rating: 1 for its first, 2 for its 追评; null for a window code's. */
  assessNumber: number | null;
};

/** A rating of a 办件 through its one-time link (`/e/{token}`) or the window's 评价器. */
export interface SubmitForMatterInput {
  /** The 办件's one-time link token. */
  token: string;
  channel: Extract<RatingChannel, 'link' | 'kiosk'>;
  body: RatingBodyT;
  ip: string;
  userAgent: string;
}

/** A rating of a 办件 at its window's 评价器 (the kiosk module has authenticated the tablet). */
export interface SubmitAtKioskInput {
  projectNo: string;
  /** The tablet's window: a 办件 of another window is unknown here. */
  codeId: string;
  body: RatingBodyT;
  ip: string;
  userAgent: string;
}

/**
 * The page of a one-time link: open (with its data), a rejected 办件's 办不成事 form (report), expired
 * (saying where), or unknown.
 */
export type LinkPage =
  | { state: 'open'; page: MatterData }
  | { state: 'report'; page: ReportData }
  | { state: 'expired'; departmentId: number; departmentName: string; location: string }
  | { state: 'unknown' };

/** A 办件 has had its first rating and its one 追评 (GB/T 39734-2020, 评价次数规则). */
class RatingsUsedUp extends Conflict {
  constructor(message = '该办件已评价并追评过，不能再次评价。感谢您的反馈！') {
    super(message, 'AlreadyRated');
  }
}

/**
 * The 评价器 takes a 办件's first rating only: the screen is the window's, and whoever stands at it
 * next must not 追评 someone else's 办件 (a 追评 is the citizen's own, through the one-time link).
 */
const KIOSK_MAX_ASSESS_NUMBER = 1;

interface Prepared {
  code: PublicCodeInfoT;
  /** The limits in force for the code's department (its org unit's settings). */
  limits: Settings['limits'];
  /** Its 回访 deadline in working days (deadlines.contactWorkingDays), as the receipt promises it. */
  contactWorkingDays: number;
  score: Score;
  tags: string[];
  comment: string | null;
  phone: string | null;
  clientHash: string;
  netHash: string;
  idempotencyKey: string | null;
  createdAt: number;
  channel: string;
  /** The 办件 rated (link, 评价器, default rating); null for a window code. */
  matter: mq.RatableMatter | null;
  /** 5★ without a reason or a comment. */
  bare: boolean;
  /** The department's mean counted ratings a day over the last 28 days (the hold rules' baseline). */
  baseline: number;
  /** The staff member who typed it in (paper questionnaire, 12345 return call); null for the citizen's own. */
  enteredBy: { id: number; name: string } | null;
}

/** A hold rule that fired for a rating, and which earlier ratings it takes back into hold. */
interface FiredRule {
  rule: HoldRule;
  by: hq.HoldSubjectKind;
  /** Earlier ratings of the network or device made at or after this time are held too. */
  since: number;
  /** Only those of this department (the rules over a department's day), or of any. */
  departmentId: number | null;
  only: 'bad' | 'bare' | null;
}

/** A rating stored in a (savepoint of a) transaction: the answer, and what it adds to the rollups. */
interface Stored {
  answer: SubmitResult;
  /** Null for a retry answered with the rating stored before. */
  rollup: RatingFacts | null;
  /** A 追评's first rating, whose counted figures it takes back. */
  takeBack: RatingFacts | null;
  /** A 办件's first citizen rating: it now counts as rated (评价率). */
  matterRated: MatterFacts | null;
  /** The 办件 this rating was stored for (its count follows at the batch's end); null for the others and for a retry. */
  matterId: number | null;
  /** Held for review: a submission that counts in no figure until a decision. */
  held: RatingFacts | null;
  /** Earlier ratings a rule that fired took back into hold (their counted figures taken back). */
  heldBefore: hq.HeldFacts[];
  /** What the device and network limits count from now on; null when they do not count it. */
  window: WindowEntry | null;
}

/**
 * The comment as stored: clean text, trimmed, every mobile number in it masked (docs/domain.md): the
 * number a citizen wants to be called back on goes in the phone field, encrypted and erased in time.
 */
function storedComment(text: string | null | undefined): string | null {
  const comment = text ? cleanText(text).trim() : '';
  return comment ? redactPhones(comment) : null;
}

/**
 * What the ratings of one batch see besides the stored ones: the ratings stored earlier in the same
 * batch (the limits count them too), and on PostgreSQL the facts read for the whole batch at once.
 */
interface BatchContext {
  /** The ratings this batch has stored so far, counted like stored ones. */
  readonly inBatch: AbuseWindows;
  /** PostgreSQL: the limit counts of each rating of the batch, from what was stored before it. */
  readonly counts: Map<Prepared, q.LimitCounts> | null;
  /** PostgreSQL: ratings stored before this batch under the batch's idempotency keys, and those stored in it. */
  readonly byKey: Map<string, number> | null;
  /** PostgreSQL: ids drawn for the batch, ascending, one per rating (taken in arrival order). */
  readonly ids: number[] | null;
  /**
   * PostgreSQL, first attempt: the ratings that open no case, inserted together when the batch ends
   * (one statement instead of one round trip each). A 差评 is inserted at once: its case refers to it.
   */
  readonly deferred: Array<q.HotRatingInsert & { id: number }> | null;
}

/** Where a rating's limit windows start (from its time and its county's limits). */
interface RatingWindows {
  codeSince: number;
  dayStart: number;
  windowStart: number;
  networkCap: number;
  networkDayLimit: number;
  bareDevicesLimit: number;
}

/** The days of a department's recent volume that the rules over a day compare against. */
const BASELINE_DAYS = 28;

/** The items of both lists once each (most ratings: both empty, nothing allocated). */
function union<T>(a: T[], b: T[]): T[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])];
}

const keyOf = (codeId: string, idempotencyKey: string) => `${codeId}\u0000${idempotencyKey}`;

/** The days a questionnaire typed in may be dated: within the window, since the code was made, not after it was disabled. */
interface EnteredWindow {
  today: string;
  earliest: string;
  maxAgeDays: number;
  codeFrom: string;
  codeUntil: string | null;
}

function enteredWindow(code: { createdAt: number; disabledAt: number | null }, maxAgeDays: number, now: number): EnteredWindow {
  const today = chinaDay(now);
  return {
    today,
    earliest: addDays(today, -maxAgeDays),
    maxAgeDays,
    codeFrom: chinaDay(code.createdAt),
    codeUntil: code.disabledAt === null ? null : chinaDay(code.disabledAt),
  };
}

/** A questionnaire's date (YYYY-MM-DD, China), or why it cannot be taken. */
function entryDay(date: string, w: EnteredWindow): string | { message: string } {
  const parsed = parseDay(date);
  if (parsed === 'format') return { message: '日期格式不正确，应为 YYYY-MM-DD（如 2026-11-23）' };
  if (parsed === 'invalid') return { message: `日期不存在（${date}）` };
  if (date > w.today) return { message: `日期 ${date} 晚于今天，不能录入` };
  if (date < w.codeFrom) return { message: `日期 ${date} 早于该评议码启用之日（${w.codeFrom}）` };
  if (w.codeUntil !== null && date > w.codeUntil) return { message: `日期 ${date} 晚于该评议码停用之日（${w.codeUntil}）` };
  if (date < w.earliest) return { message: `日期 ${date} 已超过 ${w.maxAgeDays} 天（最早可录入 ${w.earliest}），不再录入` };
  return date;
}

/**
 * When a questionnaire of a day counts as given: 12:00 Beijing time, within office hours (a form
 * carries a date, not a time; the day's start would put every form at midnight, when no hall is open,
 * in the by-hour figures), but never before the code was made nor after now (a form of today typed in
 * in the morning).
 */
function entryTime(day: string, codeCreatedAt: number, now: number): number {
  const noon = dayNumber(day)! * MS_PER_DAY - CHINA_OFFSET_MS + 12 * MS_PER_HOUR;
  return Math.min(Math.max(noon, codeCreatedAt), now);
}

export function createRatingsService(deps: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  crypto: DataCrypto;
  settings: Pick<SettingsService, 'forDepartment'>;
  /** Every department (the default-rating job goes through them one by one). */
  org: Pick<OrgService, 'tree'>;
  stats: Pick<
    StatsService,
    | 'rollupBatch'
    | 'recordRating'
    | 'takeBackRating'
    | 'recordMatterRated'
    | 'writeRollups'
    | 'recordHeld'
    | 'recordFlagged'
    | 'recentDailyMean'
  >;
  cases: CaseLookup;
  codes: ScopedCodeLookup;
  /** Upward reporting: every stored rating enters the outbox in the transaction that stores it. */
  report: Pick<ReportOutbox, 'enabled' | 'enqueueRatings'>;
}) {
  const { db, clock, crypto, settings, stats, cases, codes, report } = deps;

  /**
   * A 差评's receipt: the case, and what the citizen is told will happen by when — a call within the
   * 回访 deadline only when they left a phone (docs/domain.md 3.3). The words come with the answer,
   * not in the citizen page's 12 KB bundle.
   */
  function followUp(c: CaseFollowUp, p: Prepared): FollowUp {
    const end = `${monthDay(c.dueDate)}前办结`;
    const contact = `${monthDay(c.contactDueDate)}前`;
    const days = p.contactWorkingDays;
    return {
      caseNo: c.caseNo,
      dueDate: c.dueDate,
      contactDueDate: c.contactDueDate,
      // Relative: the citizen follows it from the page they are on, whatever host or proxy served it.
      statusUrl: `/s/${c.statusToken}`,
      promise: p.phone
        ? `我们将在 ${days ? `${days} 个工作日内（${contact}）` : contact}联系您，${end}`
        : `您未留电话，我们不会回访；部门将核实并整改，${end}，可凭受理编号查看进度`,
    };
  }

  async function answerFor(tx: Tx, id: number, created: boolean, p: Prepared): Promise<SubmitResult> {
    let c = await cases.followUpOfRating(tx, id);
    // A 差评 attached to its flood's grouped case: that case is its receipt.
    if (!c) {
      const grouped = await hq.groupCaseOfRating(tx, id);
      if (grouped !== undefined) c = await cases.followUpOfCase(tx, grouped);
    }
    return { created, id, followUp: c ? followUp(c, p) : null, assessNumber: p.matter ? await mq.assessNumberOf(tx, id) : null };
  }

  /**
   * A 办件's rating in one statement: inserted under the 办件's next assess number (1, then 2 for the one
   * 追评) unless a rating holds it already — the unique index decides, in this transaction and between
   * instances; the number read with the link is only where it starts. Not inserted under any number up
   * to `max`: the 办件 is rated up (refused before anything is written), or this is a retry of a stored
   * rating (same idempotency key), answered with it. A 追评 marks the first rating superseded and takes
   * its figures back (the first stays, as a fact). The 办件's count follows at the batch's end
   * (recountMatterRatings).
   */
  async function storeBound(
    tx: Tx,
    p: Prepared,
    matter: mq.RatableMatter,
    row: q.HotRatingInsert,
    drawn: number | undefined,
    max: number,
  ): Promise<{ id: number; assessNumber: number; takeBack: RatingFacts | null } | { priorId: number }> {
    const insert: q.HotRatingInsert & { id?: number } = drawn === undefined ? row : { ...row, id: drawn };
    for (let n = matter.ratingCount + 1; n <= max; n++) {
      insert.assessNumber = n;
      const id = await q.insertBoundRating(tx, insert);
      if (id === undefined) {
        const prior = p.idempotencyKey ? await q.findByIdempotencyKey(tx, p.code.code, p.idempotencyKey) : undefined;
        if (prior) return { priorId: prior.id };
        continue;
      }
      if (n === 1) return { id, assessNumber: n, takeBack: null };
      const first = await mq.supersedeFirstRating(tx, matter.id);
      // An excluded first rating (an approved appeal) no longer counts: nothing to take back.
      return { id, assessNumber: n, takeBack: first && !first.excluded ? ratingFactsOf(first, matterFactsOf(matter)) : null };
    }
    const prior = p.idempotencyKey ? await q.findByIdempotencyKey(tx, p.code.code, p.idempotencyKey) : undefined;
    if (prior) return { priorId: prior.id };
    throw max === 1 ? new RatingsUsedUp('该办件已评价过，不能再次评价。感谢您的反馈！') : new RatingsUsedUp();
  }

  /**
   * Runs inside a (savepoint of a) group-commit transaction: limits, insert, case. The rating's rollups
   * are returned, not written: they are added to the batch once the savepoint is released (writeRollups),
   * so a rating that fails here counts nowhere.
   */
  async function store(tx: Tx, p: Prepared, batch: BatchContext): Promise<Stored> {
    // A 办件's rating on SQLite is not looked up first: its insert finds a retry (storeBound).
    if (p.idempotencyKey && (batch.byKey || !p.matter)) {
      const priorId = batch.byKey
        ? batch.byKey.get(keyOf(p.code.code, p.idempotencyKey))
        : (await q.findByIdempotencyKey(tx, p.code.code, p.idempotencyKey))?.id;
      if (priorId !== undefined) return retried(tx, priorId, p);
    }
    const { limits } = p;
    const now = p.createdAt;
    const counted = p.channel === 'qr';
    const at = windowsOf(p);
    const seen = counted ? countsOf(p, batch, at) : null;
    if (seen && limits.perCodeMinutes > 0 && seen.deviceOnCode > 0) {
      throw new TooMany(`您刚刚已评价过这个窗口，同一窗口请 ${limits.perCodeMinutes} 分钟后再评价。感谢您的反馈！`, 'RatedRecently');
    }
    if (seen && seen.deviceToday >= limits.perDevicePerDay) {
      throw new TooMany(`今天本设备的评价次数已达上限（${limits.perDevicePerDay} 次），请明天再评价。`, 'DailyLimit');
    }
    // What the hold rules find is held for review, never refused (a whole hall may share one Wi-Fi
    // address), and the sender is answered as usual: a script learns nothing from the answer.
    const fired = seen ? firedRules(p, seen, at) : [];

    const day = chinaDay(now);
    // The rating's burst (the first rule that fired), and the earlier ratings each newly found burst
    // takes back into hold.
    const hold = await holdFor(tx, p, fired, batch);
    const realName = p.phone !== null;
    const entered = p.enteredBy !== null;
    const row: q.HotRatingInsert = {
      codeId: p.code.code,
      departmentId: p.code.departmentId,
      score: p.score,
      tags: p.tags,
      comment: p.comment,
      phoneEnc: p.phone ? crypto.encryptPhone(p.phone) : null,
      realName,
      // Typed in by staff: no citizen's device or network to know.
      clientHash: entered ? null : p.clientHash,
      netHash: entered ? null : p.netHash,
      idempotencyKey: p.idempotencyKey,
      channel: p.channel,
      createdAt: now,
      day,
      flagged: fired.length > 0,
      flagReason: fired.length ? fired.map((f) => f.rule).join(',') : null,
      matterId: p.matter?.id ?? null,
      assessNumber: null,
      held: hold !== null,
      holdGroupId: hold?.group.id ?? null,
    };
    const drawn = batch.ids?.shift();
    let id: number;
    let claimed: { assessNumber: number; takeBack: RatingFacts | null } | null = null;
    if (p.matter) {
      // Nothing is written before: a 办件 rated twice already refuses the rating here.
      const max = p.channel === 'kiosk' ? KIOSK_MAX_ASSESS_NUMBER : MAX_ASSESS_NUMBER;
      const bound = await storeBound(tx, p, p.matter, row, drawn, max);
      if ('priorId' in bound) return retried(tx, bound.priorId, p);
      id = bound.id;
      claimed = bound;
    } else if (p.enteredBy) id = await q.insertEnteredRating(tx, row, p.enteredBy.id);
    else if (drawn === undefined) id = await q.insertRatingFast(tx, row);
    // A 办件's rating is inserted at once: its 追评, maybe later in the same batch, marks it superseded.
    else if (batch.deferred && !isBadScore(p.score) && !p.matter && !hold) {
      id = drawn;
      batch.deferred.push({ ...row, id });
    } else id = await q.insertRatingWithId(tx, { ...row, id: drawn });
    const rollup: RatingFacts = {
      codeId: p.code.code,
      departmentId: p.code.departmentId,
      day,
      hour: chinaHour(now),
      score: p.score,
      tags: p.tags,
      realName,
      matter: p.matter ? matterFactsOf(p.matter) : null,
      // As the row stores it: 评价可信度's figures (daily_code_stored_stats).
      stored: {
        citizen: row.channel !== 'default',
        flagged: row.flagged,
        bound: row.matterId !== null,
        detailed: row.tags.length > 0 || (row.comment ?? '') !== '',
      },
    };
    if (hold) await hq.addToGroup(tx, hold.group.id, 1, now, now);
    // 差评必查, except in a burst: its 差评 are attached to the burst's one grouped case (the first of
    // them opens it), so a flood opens one case and sends one notice, not hundreds.
    const grouped = isBadScore(p.score) && hold?.group.caseId ? await cases.followUpOfCase(tx, hold.group.caseId) : undefined;
    const kase =
      isBadScore(p.score) && !grouped
        ? await cases.openForBadRating(tx, {
            id,
            codeId: p.code.code,
            departmentId: p.code.departmentId,
            createdAt: now,
            day,
            anonymous: !realName,
            // A questionnaire typed in days later: the department learns of it now, its deadlines count from today.
            ...(p.enteredBy && {
              deadlinesFrom: chinaDay(clock.now()),
              note: `${RATING_CHANNEL_LABELS[p.channel as RatingChannel]}的差评，由${p.enteredBy.name}录入；期限自录入之日起算`,
            }),
          })
        : null;
    if (kase && hold) {
      await hq.setGroupCase(tx, hold.group.id, kase.id);
      hold.group.caseId = kase.id;
    }
    const receipt = grouped ?? kase;
    // Last: only a rating that is stored counts toward the limits, the next ones of this batch first
    // and, once the batch has committed, every later one (afterCommit).
    const window: WindowEntry | null = counted
      ? {
          clientHash: p.clientHash,
          netHash: p.netHash,
          codeId: p.code.code,
          departmentId: p.code.departmentId,
          at: now,
          bad: isBadScore(p.score),
          bare: p.bare,
        }
      : null;
    if (window) batch.inBatch.add(window);
    if (p.idempotencyKey && batch.byKey) batch.byKey.set(keyOf(p.code.code, p.idempotencyKey), id);
    return {
      answer: { created: true, id, followUp: receipt ? followUp(receipt, p) : null, assessNumber: claimed?.assessNumber ?? null },
      rollup: hold ? null : rollup,
      takeBack: claimed?.takeBack ?? null,
      matterRated: claimed?.assessNumber === 1 && p.matter ? matterFactsOf(p.matter) : null,
      matterId: p.matter?.id ?? null,
      held: hold ? rollup : null,
      heldBefore: hold?.before ?? [],
      window,
    };
  }

  /** A retry of a stored rating (same idempotency key): answered with it, nothing stored or counted. */
  async function retried(tx: Tx, priorId: number, p: Prepared): Promise<Stored> {
    return {
      answer: await answerFor(tx, priorId, false, p),
      rollup: null,
      takeBack: null,
      matterRated: null,
      matterId: null,
      held: null,
      heldBefore: [],
      window: null,
    };
  }

  /** The ratings a batch stored (not the retries answered with an earlier rating), as the outbox takes them. */
  function reportedOf(stored: readonly Stored[]): StoredRatingForReport[] {
    const out: StoredRatingForReport[] = [];
    if (!report.enabled) return out;
    const at = clock.now();
    for (const s of stored) {
      const facts = s.rollup ?? s.held;
      if (facts) out.push({ ratingId: s.answer.id, day: facts.day, held: s.held !== null, at });
    }
    return out;
  }

  /** The rollups of the ratings stored in this transaction: summed in memory, a few statements in all. */
  async function writeRollups(tx: Tx, stored: readonly Stored[]): Promise<void> {
    const batch = stats.rollupBatch();
    for (const s of stored) {
      if (s.takeBack) stats.takeBackRating(batch, s.takeBack);
      if (s.rollup) stats.recordRating(batch, s.rollup);
      if (s.matterRated) stats.recordMatterRated(batch, s.matterRated);
      if (s.held) stats.recordHeld(batch, s.held, 1, 1);
      for (const h of s.heldBefore) {
        const facts = ratingFactsOf(h);
        stats.takeBackRating(batch, facts);
        stats.recordHeld(batch, facts, 1, 0);
        // Taken into hold by the burst's rule, it was flagged too (hq.holdRatings).
        stats.recordFlagged(batch, facts);
      }
    }
    await stats.writeRollups(tx, batch);
  }

  const windows = new AbuseWindows();
  // Several instances may share a PostgreSQL database: the limits then count the stored ratings (the
  // batch has locked its devices and networks, see lockRaters), not what this process has seen.
  const shared = db.driver === 'pg';

  /** Where each limit's window starts for a rating, by the limits of its code's county. */
  function windowsOf(p: Prepared): RatingWindows {
    const { limits } = p;
    const now = p.createdAt;
    return {
      codeSince: now - limits.perCodeMinutes * 60_000,
      // The day is the China calendar day: count from 00:00 Beijing time.
      dayStart: chinaDayNumber(now) * MS_PER_DAY - CHINA_OFFSET_MS,
      windowStart: now - limits.burstWindowMinutes * 60_000,
      networkCap: limits.burstPerNetwork,
      // Relative to the department's own recent volume, never below the configured floor.
      networkDayLimit: Math.max(limits.networkDayMin, limits.networkDayFactor * p.baseline),
      bareDevicesLimit: Math.max(limits.bareDevicesMin, limits.bareDevicesFactor * p.baseline),
    };
  }

  /**
   * The hold rules (docs/domain.md, Rating: held ratings) that fire for a window-code rating, given
   * what its device and network did before it. Each rule is named in the rating's flag reason; a
   * 差评 flood comes first, so that its 差评 share one grouped case.
   */
  function firedRules(p: Prepared, seen: q.LimitCounts, at: RatingWindows): FiredRule[] {
    const L = p.limits;
    const department = p.code.departmentId;
    const burst = at.windowStart + 1;
    const out: FiredRule[] = [];
    const add = (rule: HoldRule, by: hq.HoldSubjectKind, since: number, departmentId: number | null, only: FiredRule['only'] = null) =>
      out.push({ rule, by, since, departmentId, only });
    if (isBadScore(p.score) && seen.networkBad + 1 > L.burstBadPerNetwork) add('network_bad_flood', 'network', burst, null, 'bad');
    if (seen.networkBurst + 1 > L.burstPerNetwork) add('network_burst', 'network', burst, null);
    if (seen.deviceBurst + 1 > L.burstPerDevice) add('device_burst', 'device', burst, null);
    if (seen.networkDay + 1 > at.networkDayLimit) add('network_department_day', 'network', at.dayStart, department);
    if (seen.deviceDepartmentDay + 1 > L.deviceDepartmentPerDay) add('device_department_day', 'device', at.dayStart, department);
    const codes = seen.deviceCodes.length + (seen.deviceCodes.includes(p.code.code) ? 0 : 1);
    if (codes > L.deviceCodesPerDay) add('device_many_windows', 'device', at.dayStart, null);
    const departments = seen.deviceDepartments.length + (seen.deviceDepartments.includes(department) ? 0 : 1);
    if (departments > L.deviceDepartmentsPerDay) add('device_many_departments', 'device', at.dayStart, null);
    if (p.bare) {
      // A device new to this department today adds one device, a bare one; a device seen before keeps
      // what it was.
      const fresh = seen.deviceDepartmentDay === 0 ? 1 : 0;
      const bare = seen.bareDevices + fresh;
      const devices = seen.networkDevices + fresh;
      if (bare > at.bareDevicesLimit && bare * 100 >= L.bareDevicesPercent * devices)
        add('network_bare_devices', 'network', at.dayStart, department, 'bare');
    }
    return out;
  }

  /**
   * Holds a rating that rules fired for: the burst of its first rule (found open, or begun), and for
   * every rule whose burst begins here, the earlier ratings of that network or device inside the
   * rule's window, taken back into hold (so a burst counts for nothing, not for its first 60).
   */
  async function holdFor(
    tx: Tx,
    p: Prepared,
    fired: readonly FiredRule[],
    batch: BatchContext,
  ): Promise<{ group: hq.HoldGroupRef; before: hq.HeldFacts[] } | null> {
    if (fired.length === 0) return null;
    let own: hq.HoldGroupRef | null = null;
    const before: hq.HeldFacts[] = [];
    for (const f of fired) {
      const subjectHash = f.by === 'network' ? p.netHash : p.clientHash;
      const { group, begun } = await groupFor(tx, f, subjectHash, p.code.departmentId, p.createdAt);
      own ??= group;
      if (!begun) continue;
      // PostgreSQL inserts a batch's good ratings when it ends: the earlier ones must be stored to be found.
      if (batch.deferred?.length) {
        await q.insertRatings(tx, batch.deferred);
        batch.deferred.length = 0;
      }
      const prior = await hq.priorRatingsToHold(tx, {
        by: f.by,
        hash: subjectHash,
        since: f.since,
        sinceDay: chinaDay(f.since),
        departmentId: f.departmentId,
        only: f.only,
      });
      const byDepartment = new Map<number, hq.HeldFacts[]>();
      for (const r of prior) {
        const list = byDepartment.get(r.departmentId);
        if (list) list.push(r);
        else byDepartment.set(r.departmentId, [r]);
      }
      for (const [departmentId, list] of byDepartment) {
        const target = departmentId === p.code.departmentId ? group : (await groupFor(tx, f, subjectHash, departmentId, p.createdAt)).group;
        await hq.holdRatings(
          tx,
          list.map((r) => r.id),
          target.id,
          f.rule,
        );
        await hq.addToGroup(tx, target.id, list.length, list[0]!.createdAt, list.at(-1)!.createdAt);
        // The burst's 差评 that opened their own case before it was found: the first such case becomes
        // the burst's grouped case.
        const firstCase = list.find((r) => r.caseId !== null)?.caseId;
        if (firstCase && target.caseId === null) {
          await hq.setGroupCase(tx, target.id, firstCase);
          target.caseId = firstCase;
        }
        before.push(...list);
      }
    }
    return { group: own!, before };
  }

  /** The open burst of a rule for a network or device in a department, or a new one. */
  async function groupFor(
    tx: Tx,
    f: FiredRule,
    subjectHash: string,
    departmentId: number,
    now: number,
  ): Promise<{ group: hq.HoldGroupRef; begun: boolean }> {
    const open = await hq.findOpenGroup(tx, { rule: f.rule, subjectHash, departmentId, since: f.since });
    if (open) return { group: open, begun: false };
    const id = await hq.insertGroup(tx, { rule: f.rule, subjectKind: f.by, subjectHash, departmentId, at: now });
    return { group: { id, caseId: null }, begun: true };
  }

  /**
   * What the device and network limits look at, for one rating about to be stored: the ratings stored
   * before its batch (this process's windows on SQLite; on PostgreSQL, which several instances share,
   * the stored ratings, counted for the whole batch at once after it locked its devices and networks)
   * plus the ones stored earlier in its batch.
   */
  function countsOf(p: Prepared, batch: BatchContext, at: RatingWindows): q.LimitCounts {
    const before = batch.counts ? batch.counts.get(p)! : windowCounts(windows, p, at);
    const inBatch = windowCounts(batch.inBatch, p, at);
    // Devices of a network are summed (a device in both counts twice: the rule errs towards holding).
    return {
      deviceOnCode: before.deviceOnCode + inBatch.deviceOnCode,
      deviceToday: before.deviceToday + inBatch.deviceToday,
      deviceBurst: before.deviceBurst + inBatch.deviceBurst,
      networkBurst: Math.min(before.networkBurst + inBatch.networkBurst, at.networkCap),
      networkBad: before.networkBad + inBatch.networkBad,
      deviceDepartmentDay: before.deviceDepartmentDay + inBatch.deviceDepartmentDay,
      deviceCodes: union(before.deviceCodes, inBatch.deviceCodes),
      deviceDepartments: union(before.deviceDepartments, inBatch.deviceDepartments),
      networkDay: before.networkDay + inBatch.networkDay,
      networkDevices: before.networkDevices + inBatch.networkDevices,
      bareDevices: before.bareDevices + inBatch.bareDevices,
    };
  }

  function windowCounts(w: AbuseWindows, p: Prepared, at: RatingWindows): q.LimitCounts {
    const device = w.deviceDay(p.clientHash, at.dayStart, p.code.departmentId);
    const network = w.networkDay(p.netHash, at.dayStart, p.code.departmentId);
    return {
      deviceOnCode: w.deviceOnCodeSince(p.clientHash, p.code.code, at.codeSince),
      deviceToday: w.deviceSince(p.clientHash, at.dayStart),
      deviceBurst: w.deviceSince(p.clientHash, at.windowStart, false),
      networkBurst: w.networkAfter(p.netHash, at.windowStart, at.networkCap),
      networkBad: w.networkBadAfter(p.netHash, at.windowStart),
      deviceDepartmentDay: device.sameDepartment,
      deviceCodes: device.codes,
      deviceDepartments: device.departments,
      networkDay: network.ratings,
      networkDevices: network.devices,
      bareDevices: network.bareDevices,
    };
  }

  /**
   * A batch's context. On PostgreSQL: its raters locked, then its limit counts, prior keys and rating ids
   * read, in four statements.
   */
  async function beginBatch(tx: Tx, items: readonly Prepared[], attempt: { savepoints: boolean }): Promise<BatchContext> {
    if (!shared) return { inBatch: new AbuseWindows(), counts: null, byKey: null, ids: null, deferred: null };
    const rated = items.filter((p) => p.channel === 'qr');
    // With the devices and networks, the 办件 rated: under the key a push of the 办件 locks
    // (db/queries/matters.ts lockMatters), all in one order, so that a rating batch and a push batch
    // with 办件 in common (or two rating batches) wait for each other instead of deadlocking on the rows.
    await q.lockRaters(tx, [
      ...rated.flatMap((p) => [`d:${p.clientHash}`, `n:${p.netHash}`]),
      ...items.flatMap((p) => (p.matter ? [`matter:${p.matter.projectNo}`] : [])),
    ]);
    const counts = new Map<Prepared, q.LimitCounts>();
    const answers = await q.limitCountsOfBatch(
      tx,
      rated.map((p) => {
        const at = windowsOf(p);
        return {
          clientHash: p.clientHash,
          netHash: p.netHash,
          codeId: p.code.code,
          departmentId: p.code.departmentId,
          codeSince: at.codeSince,
          dayStart: at.dayStart,
          burstSince: at.windowStart,
          networkCap: at.networkCap,
          networkDayCap: Math.ceil(at.networkDayLimit) + 1,
          badCap: p.limits.burstBadPerNetwork + 1,
          // A network of thousands of ratings a day is judged over its latest ones: enough to pass the
          // limit several times over, never a walk over its whole day for each of its ratings.
          deviceRowsCap: 4 * Math.ceil(at.bareDevicesLimit) + 100,
        };
      }),
    );
    for (const [i, p] of rated.entries()) counts.set(p, answers[i]!);
    const keyed = items.flatMap((p) => (p.idempotencyKey ? [{ codeId: p.code.code, key: p.idempotencyKey }] : []));
    const byKey = new Map<string, number>();
    for (const r of await q.findByIdempotencyKeys(tx, keyed)) byKey.set(keyOf(r.codeId, r.key), r.id);
    // With savepoints (the second attempt) each rating is inserted in its own, so that one failing
    // insert fails alone.
    const ids = await q.drawRatingIds(tx, items.length);
    return { inBatch: new AbuseWindows(), counts, byKey, ids, deferred: attempt.savepoints ? null : [] };
  }

  /** One transaction for a page of default ratings: claimed, inserted and counted together. */
  async function storeDefaultRatings(due: ReadonlyArray<{ m: mq.RatableMatter; at: number }>, score: Score, now: number): Promise<number> {
    return db.transaction(async (tx) => {
      // Under the key a rating batch of these 办件 locks first (beginBatch): a citizen's rating inserted
      // but not yet counted (the count follows at its batch's end) is waited for, not deadlocked with.
      if (shared)
        await q.lockRaters(
          tx,
          due.map(({ m }) => `matter:${m.projectNo}`),
        );
      const batch = stats.rollupBatch();
      const reported: StoredRatingForReport[] = [];
      let n = 0;
      for (const { m, at } of due) {
        // A citizen's rating that arrived meanwhile keeps the 办件.
        if (!(await mq.claimForDefaultRating(tx, m.id, now))) continue;
        const day = chinaDay(at);
        const ratingId = await q.insertRatingFast(tx, {
          codeId: m.codeId,
          departmentId: m.departmentId,
          score,
          tags: [],
          comment: null,
          phoneEnc: null,
          realName: false,
          clientHash: null,
          netHash: null,
          idempotencyKey: null,
          channel: 'default',
          createdAt: at,
          day,
          flagged: false,
          flagReason: null,
          matterId: m.id,
          assessNumber: 1,
          held: false,
          holdGroupId: null,
        });
        stats.recordRating(batch, {
          codeId: m.codeId,
          departmentId: m.departmentId,
          day,
          hour: chinaHour(at),
          score,
          tags: [],
          realName: false,
          isDefault: true,
          matter: matterFactsOf(m),
          stored: { citizen: false, flagged: false, bound: true, detailed: false },
        });
        reported.push({ ratingId, day, held: false, at: now });
        n++;
      }
      await stats.writeRollups(tx, batch);
      await report.enqueueRatings(tx, reported);
      return n;
    });
  }

  // `afterBatch` sees only the ratings that were stored: a failed one adds nothing.
  const committer = new GroupCommitter<Prepared, Stored, BatchContext>(db, store, {
    beforeBatch: beginBatch,
    afterBatch: async (tx, stored, batch) => {
      if (batch.deferred?.length) await q.insertRatings(tx, batch.deferred);
      await mq.recountMatterRatings(
        tx,
        stored.flatMap((s) => (s.matterId === null ? [] : [s.matterId])),
        clock.now(),
      );
      await writeRollups(tx, stored);
      await report.enqueueRatings(tx, reportedOf(stored));
    },
    // On SQLite the process's windows follow every stored rating; on PostgreSQL the stored ratings are the windows.
    afterCommit: (stored) => {
      if (shared) return;
      for (const s of stored) if (s.window) windows.add(s.window);
    },
    // The limits, and a 办件 rated twice already, refuse a rating before it writes anything.
    refused: (err) => err instanceof TooMany || err instanceof RatingsUsedUp,
  });

  /** Checks everything that needs no database; throws 4xx with a message for the citizen. */
  async function prepare(input: SubmitInput): Promise<Prepared> {
    const code = await codes.getPublicInfo(input.code);
    if (!code) throw new NotFound('未找到该评议码，请核对二维码或咨询窗口工作人员', 'UnknownCode');
    if (!code.active) throw new Gone('该评议码已停用，请扫描窗口的新评议码或咨询工作人员', 'CodeDisabled');
    return prepareFor(code, input, 'qr', null);
  }

  /**
   * A 办件's rating: the link must be known, its 办件 finished and within the link's period, and the
   * 办件 not rated twice yet (checked again in the transaction, which decides).
   */
  async function prepareForMatter(input: SubmitForMatterInput): Promise<Prepared> {
    const matter = await mq.findMatterByLinkToken(db, input.token);
    // A rejected 办件's link is its 办不成事 form (GET /e/{token}): it is not rated.
    if (matter?.status === 'rejected') {
      throw new Conflict('该办件未予受理，不能评价；如您认为属于“办不成事”，请在本链接的页面反映', 'MatterNotRated');
    }
    if (matter?.status !== 'finished' || matter.linkExpiresAt === null) {
      throw new NotFound('未找到该评价链接，请核对短信或二维码，或在窗口扫码评价', 'UnknownLink');
    }
    const refusal =
      clock.now() > matter.linkExpiresAt
        ? new Gone('该办件的评价期限已过，您仍可扫描窗口评议码或拨打 12345 反映意见', 'LinkExpired')
        : matter.ratingCount >= MAX_ASSESS_NUMBER
          ? new RatingsUsedUp()
          : null;
    // A retry of a rating stored already (its answer lost on the way, the phone's queue sending it
    // again) is answered with that rating, as on a window code: even a 追评's, even once the period is
    // over. store() finds it by its key.
    const key = input.body.idempotencyKey;
    if (refusal && !(key && (await q.findByIdempotencyKey(db, matter.codeId, key)))) throw refusal;
    const code = await codes.getPublicInfo(matter.codeId);
    if (!code) throw new NotFound('未找到该评价链接，请核对短信或二维码，或在窗口扫码评价', 'UnknownLink');
    // The 办件 is counted in the department it was handled in, whatever its window's department is now.
    return prepareFor({ ...code, departmentId: matter.departmentId }, input, input.channel, matter);
  }

  async function prepareFor(
    code: PublicCodeInfoT,
    input: Pick<SubmitInput, 'body' | 'ip' | 'userAgent'>,
    channel: RatingChannel,
    matter: mq.RatableMatter | null,
  ): Promise<Prepared> {
    const b = input.body;
    const score = b.score as Score;
    // The tags and limits of the code's county (docs/domain.md, Settings).
    const { tags: allowed, limits, deadlines } = await settings.forDepartment(code.departmentId);
    const list = isBadScore(score) ? allowed.bad : allowed.good;
    const tags = [...new Set(b.tags ?? [])];
    for (const tag of tags) {
      if (!list.includes(tag)) {
        throw new BadRequest(`理由「${tag}」不适用于“${SCORE_LABELS[score]}”，请从页面列出的理由中选择`, 'InvalidTag');
      }
    }
    const comment = storedComment(b.comment);
    let phone: string | null = null;
    if (b.phone !== undefined && b.phone.trim() !== '') {
      phone = normalizePhone(b.phone);
      if (!MOBILE_PATTERN.test(phone)) throw new BadRequest('手机号格式不正确，请填写 11 位手机号码', 'InvalidPhone');
      if (b.consent !== true) throw new BadRequest('留下手机号需勾选“同意工作人员使用此号码联系我”', 'ConsentRequired');
    }
    // Without a client id, the device is approximated by network address and browser.
    const device = b.clientId ? `id:${b.clientId}` : `ua:${input.ip}|${input.userAgent}`;
    const createdAt = clock.now();
    return {
      code,
      limits,
      contactWorkingDays: deadlines.contactWorkingDays,
      score,
      tags,
      comment,
      phone,
      clientHash: crypto.hashId('client', device),
      netHash: crypto.hashId('net', input.ip),
      idempotencyKey: b.idempotencyKey ?? null,
      createdAt,
      channel,
      matter,
      bare: score === 5 && tags.length === 0 && comment === null,
      baseline: channel === 'qr' ? baselineOf(code.departmentId, chinaDay(createdAt)) : 0,
      enteredBy: null,
    };
  }

  /**
   * Each department's recent daily volume (the hold rules' baseline), read in the background once per
   * department and day: the rating path never waits for it (on PostgreSQL an awaited read would split a
   * group-commit batch), and a department not read yet is judged against the configured floors alone.
   */
  const baselines = new Map<number, { day: string; mean: number }>();
  const reading = new Set<number>();
  function baselineOf(departmentId: number, day: string): number {
    const known = baselines.get(departmentId);
    if (known?.day !== day && !reading.has(departmentId)) {
      reading.add(departmentId);
      stats
        .recentDailyMean(departmentId, day, BASELINE_DAYS)
        .then((mean) => baselines.set(departmentId, { day, mean }))
        // A failed read is tried again by the department's next rating.
        .catch(() => undefined)
        .finally(() => reading.delete(departmentId));
    }
    return known?.mean ?? 0;
  }

  /**
   * A 办件's rating at its window's 评价器: finished, and within the rating period. Whether it is still unrated is decided in the transaction, after a retry of
   * a stored rating (same idempotency key) has been answered with that rating.
   */
  async function prepareAtKiosk(input: SubmitAtKioskInput): Promise<Prepared> {
    const matter = await mq.findMatterByProjectNo(db, input.projectNo);
    // A tablet cannot rate another window's 办件.
    if (!matter || matter.codeId !== input.codeId) throw new NotFound('未找到该办件，请咨询窗口工作人员', 'UnknownMatter');
    if (matter.status !== 'finished' || matter.finishedAt === null) throw new Conflict('该办件尚未办结，办结后再评价', 'MatterNotFinished');
    const code = await codes.getPublicInfo(matter.codeId);
    if (!code) throw new NotFound('未找到该办件，请咨询窗口工作人员', 'UnknownMatter');
    // The 办件's rating period, as its link's and the default rating's: matters.linkValidDays after 办结,
    // or until a link issued earlier, under a longer period, ends.
    const { matters } = await settings.forDepartment(matter.departmentId);
    const periodEnd = Math.max(matter.finishedAt + matters.linkValidDays * MS_PER_DAY, matter.linkExpiresAt ?? 0);
    const key = input.body.idempotencyKey;
    if (clock.now() > periodEnd && !(key && (await q.findByIdempotencyKey(db, matter.codeId, key)))) {
      throw new Gone('该办件的评价期限已过，您仍可扫描窗口评议码或拨打 12345 反映意见', 'RatingExpired');
    }
    return prepareFor({ ...code, departmentId: matter.departmentId }, input, 'kiosk', matter);
  }

  async function submitPrepared(p: Prepared): Promise<SubmitResult> {
    try {
      return (await committer.submit(p)).answer;
    } catch (err) {
      // Another instance stored the same idempotency key between this batch's check and its insert:
      // the citizen's retry is answered with that rating, as on one instance.
      if (p.idempotencyKey && isUniqueViolation(err)) {
        const prior = await q.findByIdempotencyKey(db, p.code.code, p.idempotencyKey);
        if (prior) return answerFor(db, prior.id, false, p);
      }
      throw err;
    }
  }

  return {
    /** Loads the recent submissions the device and network limits look back on (once, at start). */
    async load(): Promise<void> {
      if (!shared) windows.load(await q.recentSubmissions(db, clock.now() - WINDOW_RETENTION_MS));
    },

    async submit(input: SubmitInput): Promise<SubmitResult> {
      return submitPrepared(await prepare(input));
    },

    /**
     * A rating of a 办件 (one-time link or 评价器): bound to it, assess number 1 or 2 (追评), through the
     * same group commit, limits aside (a 办件 allows two ratings; the 评价器 is one tablet for everyone).
     */
    async submitForMatter(input: SubmitForMatterInput): Promise<SubmitResult> {
      return submitPrepared(await prepareForMatter(input));
    },

    /** A rating made at the 评价器 of the 办件's window: bound to it (channel kiosk), its first rating only. */
    async submitAtKiosk(input: SubmitAtKioskInput): Promise<SubmitResult> {
      return submitPrepared(await prepareAtKiosk(input));
    },

    /**
     * Stores a rating made at another time or through another channel (paper forms typed in later,
     * the demo county's history) under the same storage rules: rollups and the 差评必查 case.
     * Device limits do not apply: each call stands for a different person.
     */
    async recordAt(input: {
      code: string;
      score: Score;
      tags?: string[];
      comment?: string | null;
      phone?: string | null;
      createdAt: number;
      channel: string;
    }): Promise<SubmitResult> {
      const code = await codes.getPublicInfo(input.code);
      if (!code) throw new NotFound('未找到该评议码', 'UnknownCode');
      const unique = Buffer.from(deps.random.bytes(12)).toString('hex');
      const { limits, deadlines } = await settings.forDepartment(code.departmentId);
      return db.transaction(async (tx) => {
        const alone: BatchContext = { inBatch: new AbuseWindows(), counts: null, byKey: null, ids: null, deferred: null };
        const stored = await store(
          tx,
          {
            code,
            limits,
            contactWorkingDays: deadlines.contactWorkingDays,
            score: input.score,
            tags: input.tags ?? [],
            comment: storedComment(input.comment),
            phone: input.phone ?? null,
            clientHash: crypto.hashId('client', `${input.channel}:${unique}`),
            netHash: crypto.hashId('net', `${input.channel}:${unique}`),
            idempotencyKey: null,
            createdAt: input.createdAt,
            channel: input.channel,
            matter: null,
            bare: false,
            baseline: 0,
            enteredBy: null,
          },
          alone,
        );
        await writeRollups(tx, [stored]);
        await report.enqueueRatings(tx, reportedOf([stored]));
        return stored.answer;
      });
    },

    /**
     * Questionnaires typed in by a supervisor or administrator (POST /api/ratings/paper, docs/domain.md
     * 录入的评价): paper forms or 12345 return calls, for one window of their scope. Every entry is checked
     * first (a bad one: 400 naming each, nothing stored); then all are stored in one transaction, each
     * as a rating of its channel naming who typed it, counted like any (its rollups, its 差评必查 case,
     * its upward report), with no device or network limit and no hold. One audit row for the request.
     */
    /** What the entry page needs of a window of the actor's scope: its county's reasons and the dates it takes. */
    async entryForm(actor: Actor, raw: string): Promise<PaperForm> {
      const code = await codes.scopedCode(actor, raw.trim().toUpperCase());
      const { tags, limits } = await settings.forDepartment(code.departmentId);
      const w = enteredWindow(code, limits.paperMaxAgeDays, clock.now());
      // Days as YYYY-MM-DD compare as text (Math.min/max would not take them).
      const latest = [w.today, w.codeUntil ?? w.today].sort()[0]!;
      const earliest = [w.earliest, w.codeFrom].sort()[1]!;
      return {
        code: code.code,
        departmentId: code.departmentId,
        departmentName: code.departmentName,
        location: code.location,
        staffName: code.staffName,
        active: code.active,
        tags,
        earliest,
        latest,
        entriesMax: PAPER_ENTRIES_MAX,
      };
    },

    async enter(actor: Actor, body: PaperBodyT): Promise<PaperCreated> {
      const code = await codes.scopedCode(actor, body.code.trim().toUpperCase());
      const channel = body.channel ?? 'paper';
      const now = clock.now();
      const { tags: allowed, limits, deadlines } = await settings.forDepartment(code.departmentId);
      const window = enteredWindow(code, limits.paperMaxAgeDays, now);
      const errors: EntryError[] = [];
      const prepared: Prepared[] = [];
      for (const [index, e] of body.entries.entries()) {
        const at = `第 ${index + 1} 条`;
        const score = e.score as Score;
        const list = isBadScore(score) ? allowed.bad : allowed.good;
        const tags = [...new Set(e.tags ?? [])];
        const wrongTag = tags.find((t) => !list.includes(t));
        if (wrongTag !== undefined)
          errors.push({ index, field: 'tags', message: `${at}的理由「${wrongTag}」不适用于“${SCORE_LABELS[score]}”` });
        const day = entryDay(e.date, window);
        if (typeof day !== 'string') errors.push({ index, field: 'date', message: `${at}的${day.message}` });
        if (errors.length || typeof day !== 'string') continue;
        const comment = storedComment(e.comment);
        prepared.push({
          code,
          limits,
          contactWorkingDays: deadlines.contactWorkingDays,
          score,
          tags,
          comment,
          phone: null,
          clientHash: '',
          netHash: '',
          idempotencyKey: null,
          createdAt: entryTime(day, code.createdAt, now),
          channel,
          matter: null,
          bare: score === 5 && tags.length === 0 && comment === null,
          baseline: 0,
          enteredBy: { id: actor.id, name: actor.displayName },
        });
      }
      if (errors.length) throw new InvalidEntries(errors);
      const stored = await db.transaction(async (tx) => {
        const alone: BatchContext = { inBatch: new AbuseWindows(), counts: null, byKey: null, ids: null, deferred: null };
        const out: Stored[] = [];
        for (const p of prepared) out.push(await store(tx, p, alone));
        await writeRollups(tx, out);
        await report.enqueueRatings(tx, reportedOf(out));
        const days = prepared.map((p) => chinaDay(p.createdAt)).sort();
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'ratings.enter',
          targetType: 'code',
          targetId: code.code,
          detail: {
            channel,
            count: out.length,
            bad: prepared.filter((p) => isBadScore(p.score)).length,
            from: days[0],
            to: days.at(-1),
            firstId: out[0]?.answer.id,
            lastId: out.at(-1)?.answer.id,
          },
        });
        return out;
      });
      return {
        ids: stored.map((s) => s.answer.id),
        cases: stored.flatMap((s, index) => (s.answer.followUp ? [{ index, caseNo: s.answer.followUp.caseNo }] : [])),
      };
    },

    /**
     * Default ratings (docs/domain.md, 办件; off unless a county's `matters.defaultRating` enables it):
     * each finished 办件 that no one rated within its period gets one system rating (channel 系统默认,
     * assess number 1, the configured score), dated when the period ended. It opens no case, whatever
     * the score, and 主动评价好评率 leaves it out. Answers how many were given.
     */
    async giveDefaultRatings(): Promise<number> {
      const now = clock.now();
      let given = 0;
      for (const { id: departmentId } of (await deps.org.tree()).departments) {
        const { matters } = await settings.forDepartment(departmentId);
        if (!matters.defaultRating.enabled) continue;
        const periodMs = matters.linkValidDays * MS_PER_DAY;
        let after: { finishedAt: number; id: number } | null = null;
        for (;;) {
          const page = await mq.unratedFinishedMatters(db, { departmentId, finishedBefore: now - periodMs, after, limit: 200 });
          if (page.length === 0) break;
          const last = page.at(-1)!;
          after = { finishedAt: last.finishedAt!, id: last.id };
          // A link issued before keeps its own end (fixed when issued): the citizen may still use it.
          const due = page.map((m) => ({ m, at: Math.max(m.finishedAt! + periodMs, m.linkExpiresAt ?? 0) })).filter((d) => d.at <= now);
          if (due.length) given += await storeDefaultRatings(due, matters.defaultRating.score as Score, now);
          if (page.length < 200) break;
        }
      }
      return given;
    },

    /**
     * What the citizen's page of a one-time link shows (GET /e/{token}), by the rating's own rules: a
     * link unknown or of a 办件 not finished is unknown; past its period, expired (still saying where).
     */
    async linkPage(token: string): Promise<LinkPage> {
      const m = token.length <= 128 ? await mq.findLinkPage(db, token) : undefined;
      const rejected = m?.status === 'rejected';
      if (!m || m.linkExpiresAt === null || (!rejected && (m.status !== 'finished' || m.finishedDay === null))) return { state: 'unknown' };
      if (clock.now() > m.linkExpiresAt) {
        return { state: 'expired', departmentId: m.departmentId, departmentName: m.departmentName, location: m.location };
      }
      const county = await settings.forDepartment(m.departmentId);
      if (rejected) {
        // 办不成事 (docs/domain.md 4.7): the form of /b/{code}, bound to the 办件 by its token.
        return {
          state: 'report',
          page: {
            kind: 'report',
            authority: county.citizen.authority,
            code: m.codeId,
            token,
            departmentName: m.departmentName,
            location: m.location,
            subject: m.taskName.slice(0, REPORT_SUBJECT_MAX),
            subjectMax: REPORT_SUBJECT_MAX,
            descriptionMax: REPORT_DESCRIPTION_MAX,
          },
        };
      }
      const rated = Math.min(m.ratingCount, MAX_ASSESS_NUMBER);
      return {
        state: 'open',
        page: {
          kind: 'matter',
          authority: county.citizen.authority,
          token,
          taskName: m.taskName,
          departmentName: m.departmentName,
          location: m.location,
          finishedOn: monthDay(m.finishedDay!),
          expiresAt: new Date(m.linkExpiresAt).toISOString(),
          rated,
          // Where the link stands, in the page's words (kept out of its script: every byte is on a weak signal).
          standing: ['，请评价', `，您已评价过，可在 ${chinaMinute(m.linkExpiresAt)} 前追评一次`, '，您已评价并追评过，感谢您的反馈！'][
            rated
          ]!,
          // The reasons of the county the 办件 was handled in, as its rating checks them.
          tags: county.tags,
          commentMax: COMMENT_MAX,
        },
      };
    },

    /** Writes queued ratings now (graceful shutdown, tests). */
    async flush(): Promise<void> {
      await committer.flush();
    },

    async listFlagged(actor: Actor, limit = 200): Promise<FlaggedRating[]> {
      return (await q.listFlaggedRatings(db, [...actor.departmentIds], limit)).map((r) => ({
        id: r.id,
        codeId: r.codeId,
        departmentId: r.departmentId,
        score: r.score,
        createdAt: r.createdAt,
        flagReason: r.flagReason,
        excluded: r.excluded,
      }));
    },
  };
}

export type RatingsService = ReturnType<typeof createRatingsService>;
