// Upward reporting (docs/domain.md, 数据上报): the records of a month and an org unit, exported as files
// (JSON Lines, .xlsx) for counties that upload by file, and the records held for a missing code.
import type { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Db } from '../../../db/client.js';
import { jsonArray } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/reporting.js';
import type {
  HeldRecordsResponse,
  OutboxStatusResponse,
  ReconcileQuery,
  ReconcileResponse,
  ReconcileRow,
  ResendBody,
} from '../../../shared/api/reporting.js';
import {
  addDays,
  CHINA_OFFSET_MS,
  chinaDay,
  dayNumber,
  dayString,
  daysFromCivil,
  daysInMonth,
  MS_PER_DAY,
} from '../../../shared/china-time.js';
import type { ReportConfig } from '../../config.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import { cleanText } from '../../lib/clean-text.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import type { OrgService } from '../org/org.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { breathe, streamed } from '../stats/exports.js';
import { type CaseResultRecord, caseResultRecord, composeRating, missingCodes, type RatingRecord, type ReportRecord } from './records.js';

export interface ReportingDeps {
  db: Db;
  clock: Clock;
  /** REPORT_URL and the rest, or null: reporting by file only. */
  report: ReportConfig | null;
  org: Pick<OrgService, 'orgUnitIdsInScope' | 'departmentIdsUnder' | 'listOrgUnits'>;
  settings: Pick<SettingsService, 'forDepartment'>;
  /** Rows per cursor batch (tests use a tiny one to cross batch boundaries). */
  batchSize?: number;
}

export interface ReportQuery {
  month: string;
  orgUnitId: number;
}

export interface ReportFile {
  filename: string;
  asciiFilename: string;
  /** Records held for a missing code (not in the file's records). */
  held: number;
  stream: Readable;
}

interface Scope {
  unitName: string;
  departmentIds: number[];
  days: string[];
  range: { from: number; to: number };
}

const BATCH = 1000;
/** How many held records the JSON summary lists. */
const HELD_LISTED = 50;
/** How many held records the workbook's 暂缓上报 sheet lists (they wait in memory until the sheet is written). */
const HELD_IN_SHEET = 10_000;

type Visit = (record: ReportRecord, reasons: string[]) => void;

// ---- The xlsx columns: Chinese heading and the field name ----

type Cell = string | number | null;
const RATING_COLUMNS: ReadonlyArray<readonly [string, keyof RatingRecord, number]> = [
  ['记录编号', 'recordId', 14],
  ['评价编号', 'ratingId', 10],
  ['办件编号', 'projectNo', 22],
  ['评价次数', 'assessNumber', 8],
  ['满意度', 'satisfaction', 7],
  ['评价渠道', 'pf', 8],
  ['评价详情代码', 'evalDetail', 16],
  ['文字评价', 'writingEvaluation', 40],
  ['评价时间', 'assessTime', 26],
  ['统一社会信用代码', 'deptCode', 21],
  ['部门名称', 'deptName', 24],
  ['行政区划代码', 'areaCode', 14],
  ['事项编码', 'taskCode', 20],
  ['事项名称', 'taskName', 24],
  ['经办人', 'proManager', 10],
  ['申请人类型', 'userProp', 10],
];
const CASE_COLUMNS: ReadonlyArray<readonly [string, keyof CaseResultRecord, number]> = [
  ['记录编号', 'recordId', 14],
  ['评价编号', 'ratingId', 10],
  ['办件编号', 'projectNo', 22],
  ['案件编号', 'caseNo', 18],
  ['核实结果', 'classification', 12],
  ['整改情况', 'rectification', 40],
  ['整改满意度', 'satisfaction', 12],
  ['办结时间', 'closedAt', 26],
];

function cell(v: unknown): Cell {
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'string') return cleanText(v);
  return typeof v === 'number' ? v : null;
}

function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, cols: ReadonlyArray<readonly [string, string, number]>) {
  const sheet = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = cols.map(([header, , width]) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRow(cols.map(([, field]) => field)).commit();
  return sheet;
}

export function createReportingService(deps: ReportingDeps) {
  const { db, clock, org, settings, report } = deps;
  const batch = deps.batchSize ?? BATCH;

  async function scopeOf(actor: Actor, query: ReportQuery): Promise<Scope> {
    const m = /^(\d{4})-(\d{2})$/.exec(query.month);
    const y = Number(m?.[1]);
    const mo = Number(m?.[2]);
    if (!m || mo < 1 || mo > 12) throw new BadRequest('月份格式应为 YYYY-MM', 'BadMonth');
    if (!(await org.orgUnitIdsInScope(actor)).includes(query.orgUnitId)) throw new NotFound('组织单位不存在');
    const unitName = (await org.listOrgUnits(actor)).find((u) => u.id === query.orgUnitId)?.name ?? '';
    const first = daysFromCivil(y, mo, 1);
    const n = daysInMonth(y, mo);
    return {
      unitName,
      departmentIds: await org.departmentIdsUnder(actor, query.orgUnitId),
      days: Array.from({ length: n }, (_, i) => dayString(first + i)),
      range: { from: first * MS_PER_DAY - CHINA_OFFSET_MS, to: (first + n) * MS_PER_DAY - CHINA_OFFSET_MS },
    };
  }

  /**
   * Every record of the scope, rating records (by day, in time order) then the outcomes of the 差评
   * cases closed in the month, each with the reasons it is held (empty: it is sent). Read in cursor
   * batches; between batches it waits for `out` to drain.
   */
  async function forEachRecord(scope: Scope, out: PassThrough | null, visit: Visit): Promise<void> {
    const detailCodes = new Map<number, Readonly<Record<string, string>>>();
    for (const day of scope.days) {
      let after = { createdAt: -1, id: 0 };
      for (;;) {
        if (out?.destroyed) return;
        const rows = await q.readReportRatingBatch(db, scope.departmentIds, day, after, batch);
        for (const row of rows) {
          let codes = detailCodes.get(row.departmentId);
          if (!codes) {
            codes = (await settings.forDepartment(row.departmentId)).report.detailCodes;
            detailCodes.set(row.departmentId, codes);
          }
          const { record, missing } = composeRating({ ...row, tags: jsonArray(row.tags) }, codes);
          visit(record, missing);
          after = { createdAt: row.createdAt, id: row.id };
        }
        if (out) await breathe(out);
        if (rows.length < batch) break;
      }
    }
    let after = { closedAt: -1, id: 0 };
    for (;;) {
      if (out?.destroyed) return;
      const rows = await q.readReportCaseBatch(db, scope.departmentIds, scope.range, after, batch);
      for (const row of rows) {
        const record = caseResultRecord(row);
        visit(record, missingCodes(record, 0));
        after = { closedAt: row.closedAt, id: row.id };
      }
      if (out) await breathe(out);
      if (rows.length < batch) break;
    }
  }

  async function heldOf(scope: Scope): Promise<HeldRecordsResponse> {
    const counts = new Map<string, number>();
    const records: HeldRecordsResponse['records'] = [];
    let total = 0;
    await forEachRecord(scope, null, (record, reasons) => {
      if (!reasons.length) return;
      total++;
      for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
      if (records.length < HELD_LISTED) records.push({ recordId: record.recordId, ratingId: record.ratingId, reasons });
    });
    const reasons = [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
    return { total, reasons, records };
  }

  const names = (scope: Scope, query: ReportQuery, ext: string) => ({
    filename: `数据上报_${scope.unitName}_${query.month}.${ext}`,
    asciiFilename: `report-records_${query.month}.${ext}`,
  });

  const recordIdOf = (r: { kind: string; ratingId: number; caseId: number | null }) =>
    r.kind === 'rating' ? `rating-${r.ratingId}` : `case-${r.caseId}`;
  const outboxRecord = (r: q.OutboxListRow) => ({
    recordId: recordIdOf(r),
    ratingId: r.ratingId,
    departmentName: r.deptName,
    day: r.day,
    reason: r.reason,
    attempts: r.attempts,
    lastAnswer: r.lastAnswer,
    firstFailedAt: r.firstFailedAt,
    createdAt: r.createdAt,
  });
  /** The reporting of the whole deployment is one stream: its view is for administrators of the top unit. */
  function mustOperate(actor: Actor): void {
    if (actor.role !== 'admin') throw new Forbidden('只有管理员可以查看和操作数据上报', 'AdminOnly');
  }

  return {
    /** The operator view: backlog, per-day posts, the receiver's last errors, waiting records and dead letters. */
    async outboxStatus(actor: Actor): Promise<OutboxStatusResponse> {
      mustOperate(actor);
      const now = clock.now();
      const [counts, days, lastErrors, last, reasons, waiting, dead] = await Promise.all([
        q.outboxCounts(db),
        q.batchDays(db, now - 14 * MS_PER_DAY),
        q.lastFailures(db, 10),
        q.lastBatch(db),
        q.waitingReasons(db),
        q.listOutbox(db, 'waiting', 50),
        q.listOutbox(db, 'dead', 50),
      ]);
      const n = (state: string) => counts.find((c) => c.state === state)?.n ?? 0;
      let receiver: OutboxStatusResponse['receiver'] = null;
      if (report) {
        const u = new URL(report.url);
        receiver = {
          host: `${u.protocol}//${u.host}${u.pathname}`,
          appId: report.appId,
          signature: report.signature,
          deadAfterHours: Math.round(report.deadAfterMs / 3600_000),
        };
      }
      return {
        enabled: report !== null,
        receiver,
        backlog: {
          pending: n('pending'),
          waiting: n('waiting'),
          dead: n('dead'),
          acked: n('acked'),
          dropped: n('dropped'),
          oldestPendingAt: counts.find((c) => c.state === 'pending')?.oldest ?? null,
        },
        lastPost: last ? { at: last.at, acked: last.acked === 1, answer: last.answer } : null,
        days,
        lastErrors,
        waitingReasons: reasons.map((r) => ({ reason: r.reason, count: r.n })),
        waiting: waiting.map(outboxRecord),
        deadLetters: dead.map(outboxRecord),
      };
    },

    /** Dead letters (all, or the ones named) go out again at the next run, with their records unchanged. Audited. */
    async resend(actor: Actor, body: ResendBody): Promise<{ resent: number }> {
      mustOperate(actor);
      const now = clock.now();
      let ids: number[] | null = null;
      if (body.recordIds) {
        // An outbox row's id is not the record's: the record names its rating or case.
        ids = await q.outboxIdsOf(db, body.recordIds);
      }
      return db.transaction(async (tx) => {
        const resent = ids !== null && ids.length === 0 ? 0 : await q.resendDead(tx, ids, now);
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'report.resend',
          targetType: 'report_outbox',
          targetId: body.recordIds ? String(body.recordIds.length) : 'dead',
          detail: { recordIds: body.recordIds?.slice(0, 100) ?? null, resent },
        });
        return { resent };
      });
    },

    /**
     * Per day (the last 31 by default): ratings stored, the reportable ones, and where their records
     * are (acknowledged, pending, waiting, dead, not in the outbox). A balanced day has every reportable
     * rating acknowledged.
     */
    async reconcile(actor: Actor | null, query: ReconcileQuery): Promise<ReconcileResponse> {
      if (actor) mustOperate(actor);
      // The schema's pattern lets 2026-02-30 through; day arithmetic on it would throw (a 500).
      if (query.from !== undefined && dayNumber(query.from) === null)
        throw new BadRequest(`起始日期 ${query.from} 不是有效日期`, 'InvalidDate');
      if (query.to !== undefined && dayNumber(query.to) === null) throw new BadRequest(`结束日期 ${query.to} 不是有效日期`, 'InvalidDate');
      const today = chinaDay(clock.now());
      const to = query.to ?? today;
      const from = query.from ?? addDays(to, -30);
      if (from > to) throw new BadRequest('起始日期不能晚于结束日期', 'BadRange');
      if (addDays(from, 366) < to) throw new BadRequest('对账区间最长一年', 'RangeTooLong');
      const [stored, queued] = await Promise.all([q.storedPerDay(db, from, to), q.outboxPerDay(db, from, to)]);
      const byDay = new Map<string, ReconcileRow>();
      const row = (day: string) => {
        let r = byDay.get(day);
        if (!r) {
          r = { day, stored: 0, reportable: 0, acked: 0, pending: 0, waiting: 0, dead: 0, notQueued: 0, balanced: true };
          byDay.set(day, r);
        }
        return r;
      };
      for (const s of stored) Object.assign(row(s.day), { stored: s.stored, reportable: s.reportable });
      for (const o of queued) {
        const r = row(o.day);
        if (o.state === 'acked' || o.state === 'pending' || o.state === 'waiting' || o.state === 'dead') r[o.state] += o.n;
      }
      const days = [...byDay.values()].sort((a, b) => (a.day < b.day ? 1 : -1));
      for (const r of days) {
        // The outbox counts are of reportable ratings only (held and excluded ones left out), like
        // `reportable`: what they do not cover was never queued.
        r.notQueued = Math.max(0, r.reportable - r.acked - r.pending - r.dead - r.waiting);
        r.balanced = r.acked === r.reportable;
      }
      return { enabled: report !== null, from, to, days };
    },

    /**
     * The hourly upkeep: records waiting for a code are looked at again; POSTs older than 90 days and
     * settled records older than 400 days (past any reconciliation) are forgotten.
     */
    async sweep(): Promise<void> {
      const now = clock.now();
      await db.transaction(async (tx) => {
        await q.rependAll(tx, now);
        await q.pruneBatches(tx, now - 90 * MS_PER_DAY);
        await q.pruneSettled(tx, now - 400 * MS_PER_DAY);
      });
    },

    /** At the start of a single SQLite process: records leased by a process that died are due at once. */
    async releaseLeases(): Promise<void> {
      const now = clock.now();
      await db.transaction((tx) => q.dueNow(tx, now));
    },

    /** The records held for a missing code: how many, by reason, and the first ones. */
    async held(actor: Actor, query: ReportQuery): Promise<HeldRecordsResponse> {
      return heldOf(await scopeOf(actor, query));
    },

    /**
     * JSON Lines, one record a line. The held count goes in a header, so it is counted first (a pass
     * over the month's rows that keeps nothing), then the records are streamed.
     */
    async jsonl(actor: Actor, query: ReportQuery): Promise<ReportFile> {
      const scope = await scopeOf(actor, query);
      const { total } = await heldOf(scope);
      const stream = streamed(async (out) => {
        await forEachRecord(scope, out, (record, reasons) => {
          if (!reasons.length) out.write(`${JSON.stringify(record)}\n`);
        });
        out.end();
      });
      return { ...names(scope, query, 'jsonl'), held: total, stream };
    },

    /** The workbook: 评价记录, 整改结果 and 暂缓上报 (the held records and why). */
    async xlsx(actor: Actor, query: ReportQuery): Promise<ReportFile> {
      const scope = await scopeOf(actor, query);
      const { total } = await heldOf(scope);
      const stream = streamed(async (out) => {
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
        wb.creator = '码上评议';
        // Streamed sheets are written one after another: the held records wait in a bounded list
        // (the first 10 000; the JSON summary has the counts).
        const ratings = addSheet(wb, '评价记录', RATING_COLUMNS);
        // The rating records come first, then the case outcomes: the second sheet starts at the first
        // outcome. The held records wait in a bounded list (the first HELD_IN_SHEET; the total is noted).
        let caseSheet: ReturnType<typeof addSheet> | null = null;
        const startCases = () => {
          if (caseSheet) return caseSheet;
          ratings.commit();
          caseSheet = addSheet(wb, '整改结果', CASE_COLUMNS);
          return caseSheet;
        };
        const heldRows: Cell[][] = [];
        await forEachRecord(scope, out, (record, reasons) => {
          if (reasons.length) {
            if (heldRows.length < HELD_IN_SHEET) heldRows.push([record.recordId, record.type, record.ratingId, reasons.join('；')]);
          } else if (record.type === 'rating') ratings.addRow(RATING_COLUMNS.map(([, f]) => cell(record[f]))).commit();
          else
            startCases()
              .addRow(CASE_COLUMNS.map(([, f]) => cell(record[f])))
              .commit();
        });
        startCases().commit();
        const heldSheet = addSheet(wb, '暂缓上报', [
          ['记录编号', 'recordId', 14],
          ['类型', 'type', 12],
          ['评价编号', 'ratingId', 10],
          ['暂缓原因', 'reasons', 60],
        ]);
        for (const r of heldRows) heldSheet.addRow(r).commit();
        if (total > heldRows.length) heldSheet.addRow([`另有 ${total - heldRows.length} 条未列出（见 数据上报 页）`]).commit();
        heldSheet.commit();
        await wb.commit();
      });
      return { ...names(scope, query, 'xlsx'), held: total, stream };
    },
  };
}

export type ReportingService = ReturnType<typeof createReportingService>;
