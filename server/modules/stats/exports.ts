// Exports of the indicators: an Excel workbook (部门指标 + 评价明细) and its CSV twin. Both stream:
// ratings are read in short synchronous cursor batches and written out between them, so a year of a
// county never sits in memory. Never a full phone number (docs/domain.md).
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Db } from '../../../db/client.js';
import * as q from '../../../db/queries/stats.js';
import type { DepartmentStats, Indicators, RatingView } from '../../../shared/api/stats.js';
import { addDays } from '../../../shared/china-time.js';
import { isBadScore, RATING_CHANNEL_LABELS, SCORE_LABELS } from '../../../shared/domain.js';
import { cleanText } from '../../lib/clean-text.js';
import { csvLine, csvNumber, csvPercent, csvText, UTF8_BOM } from '../../lib/csv.js';
import { type StatsDeps, toRatingView } from './context.js';
import { ratio } from './indicators.js';
import type { OtherWayFigures } from './other-ways.js';
import type { Period } from './period.js';

/** A department's row of the exports, or the 合计 row of the whole scope. */
export type ExportDepartmentRow = Indicators & Pick<DepartmentStats, 'name' | 'orgUnitName' | 'rank' | 'insufficient'> & OtherWayFigures;

type Kind = 'text' | 'int' | 'rate' | 'score';
type Cell = string | number | null;

interface Column<T> {
  header: string;
  kind: Kind;
  width: number;
  get(row: T): Cell;
}

/** The fields of T that a cell shows as they are. */
type CellField<T> = { [K in keyof T]: T[K] extends Cell ? K : never }[keyof T];

/** A column as one row of a table: header, kind, width, and the field it shows or how it is computed. */
type ColumnRow<T> = readonly [header: string, kind: Kind, width: number, value: CellField<T> | ((row: T) => Cell)];

function columns<T>(rows: readonly ColumnRow<T>[]): Column<T>[] {
  return rows.map(([header, kind, width, value]) => ({
    header,
    kind,
    width,
    get: typeof value === 'function' ? value : (row: T) => row[value] as Cell,
  }));
}

const yes = (b: boolean): string => (b ? '是' : '');

const DEPARTMENT_COLUMNS = columns<ExportDepartmentRow>([
  ['部门', 'text', 26, 'name'],
  ['所属县区', 'text', 14, 'orgUnitName'],
  ['评价数', 'int', 9, 'total'],
  [SCORE_LABELS[5], 'int', 9, (d) => d.byScore['5']],
  [SCORE_LABELS[4], 'int', 7, (d) => d.byScore['4']],
  [SCORE_LABELS[3], 'int', 9, (d) => d.byScore['3']],
  [SCORE_LABELS[2], 'int', 8, (d) => d.byScore['2']],
  [SCORE_LABELS[1], 'int', 10, (d) => d.byScore['1']],
  ['好评率', 'rate', 9, 'goodRate'],
  ['差评率', 'rate', 9, 'badRate'],
  ['综合评分', 'score', 9, 'score'],
  ['排名', 'int', 7, 'rank'],
  ['样本不足', 'text', 9, (d) => yes(d.insufficient)],
  ['办结办件数', 'int', 11, 'finishedMatters'],
  ['已评价办件数', 'int', 12, 'ratedMatters'],
  ['评价率', 'rate', 9, 'ratingRate'],
  // 1 − 评价率, from the counts (a difference of floats would print 33.33% as 0.33333333333333337).
  ['未评价率', 'rate', 9, (d) => ratio(d.finishedMatters - d.ratedMatters, d.finishedMatters)],
  ['默认评价数', 'int', 11, 'defaults'],
  ['主动评价好评率', 'rate', 14, 'activeGoodRate'],
  ['实名差评', 'int', 9, 'realNameBad'],
  ['实名差评已回访', 'int', 12, 'realNameBadVisited'],
  ['实名差评回访率', 'rate', 12, 'visitRate'],
  ['有效差评', 'int', 9, 'validBad'],
  ['已整改', 'int', 8, 'validRectified'],
  ['差评整改率', 'rate', 10, 'rectifyRate'],
  ['已反馈', 'int', 8, 'answered'],
  ['满意或基本满意', 'int', 12, 'answeredSatisfied'],
  ['整改满意率', 'rate', 10, 'satisfactionRate'],
  ['办结', 'int', 7, 'closed'],
  ['按期办结', 'int', 9, 'closedOnTime'],
  ['逾期未办结', 'int', 11, 'overdueOpen'],
  ['按期办结率', 'rate', 10, 'onTimeRate'],
  // The other ways in, appended after every column above (scripts read those by position).
  ['办不成事', 'int', 9, 'cannotHandle'],
  ['办不成事已办结', 'int', 13, 'cannotHandleClosed'],
  ['已解决', 'int', 8, 'cannotHandleSolved'],
  ['解决率', 'rate', 9, 'solveRate'],
  ['投诉', 'int', 7, 'complaints'],
  ['金点子', 'int', 8, 'suggestions'],
  ['金点子已答复', 'int', 12, 'suggestionsAnswered'],
  ['采纳率', 'rate', 9, 'adoptionRate'],
]);

const RATING_COLUMNS = columns<RatingView>([
  ['时间', 'text', 20, 'time'],
  ['部门', 'text', 24, 'departmentName'],
  ['评议码', 'text', 12, 'codeId'],
  ['位置', 'text', 30, 'location'],
  ['评分', 'int', 6, 'score'],
  ['评价', 'text', 11, 'wording'],
  ['类别', 'text', 6, (r) => (isBadScore(r.score) ? '差评' : '好评')],
  ['标签', 'text', 30, (r) => r.tags.join('、')],
  ['留言', 'text', 40, 'comment'],
  ['手机号（脱敏）', 'text', 14, 'phone'],
  ['已排除', 'text', 8, (r) => yes(r.excluded)],
  ['曾被标记', 'text', 8, (r) => yes(r.flagged)],
  ['暂扣待核查', 'text', 10, (r) => yes(r.held)],
  ['渠道', 'text', 9, (r) => RATING_CHANNEL_LABELS[r.channel] ?? r.channel],
  ['评价次数', 'text', 9, (r) => (r.assessNumber === null ? '' : r.assessNumber === 1 ? '首次评价' : '追评')],
  ['已被追评取代', 'text', 12, (r) => yes(r.superseded)],
]);

/**
 * A row's cells for the workbook. Text is cleaned once more on the way out (lib/clean-text.ts): a
 * character XML 1.0 forbids, stored before text was cleaned at input, would leave a file Excel
 * refuses to open.
 */
function xlsxCells<T>(cols: readonly Column<T>[], row: T): Cell[] {
  return cols.map((c) => {
    const v = c.get(row);
    return typeof v === 'string' ? cleanText(v) : v;
  });
}

const NUM_FMT: Record<Kind, string | undefined> = { text: undefined, int: '0', rate: '0.00%', score: '0.00' };

function csvCell(kind: Kind, v: Cell): string {
  if (kind === 'text') return csvText(v === null ? null : String(v));
  const n = typeof v === 'number' ? v : null;
  if (kind === 'rate') return csvPercent(n);
  if (kind === 'score') return csvNumber(n, 2);
  return csvNumber(n);
}

/** The first line of a CSV file: the BOM (so Excel reads UTF-8), then the headers. */
function csvHeader<T>(cols: readonly Column<T>[]): string {
  return UTF8_BOM + csvLine(cols.map((c) => csvText(c.header)));
}

function csvRecord<T>(cols: readonly Column<T>[], row: T): string {
  return csvLine(cols.map((c) => csvCell(c.kind, c.get(row))));
}

export interface RatingSource {
  db: Db;
  crypto: StatsDeps['crypto'];
  departmentIds: readonly number[];
  period: Period;
  /** Rows per cursor batch (tests use a tiny one to cross batch boundaries). */
  batchSize?: number;
}

const BATCH = 1000;

/**
 * Every rating of the period (excluded, flagged and 追评-replaced ones too, marked), in time order. Each batch is
 * read with a cursor and handed to `write` synchronously; between batches the export yields, so the
 * connection is free for other requests and the output stream can drain.
 */
async function forEachRating(src: RatingSource, out: PassThrough, write: (r: RatingView) => void): Promise<void> {
  const batch = src.batchSize ?? BATCH;
  for (let day = src.period.from; day <= src.period.to; day = addDays(day, 1)) {
    let after = { createdAt: -1, id: 0 };
    for (;;) {
      if (out.destroyed) return;
      let n = 0;
      for (const row of await q.readRatingBatch(src.db, src.departmentIds, day, after, batch)) {
        write(toRatingView(src.crypto, row));
        after = { createdAt: row.createdAt, id: row.id };
        n++;
      }
      await breathe(out);
      if (n < batch) break;
    }
  }
}

export async function breathe(out: PassThrough): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) {
    await new Promise((resolve) => setImmediate(resolve));
    return;
  }
  // A client that goes away closes the stream without a drain: stop waiting then too.
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

/** Runs a writer into a fresh stream; a failure mid-way ends the download instead of the server. */
export function streamed(run: (out: PassThrough) => Promise<void>): Readable {
  const out = new PassThrough();
  run(out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

export function xlsxExport(departments: readonly ExportDepartmentRow[], ratings: RatingSource): Readable {
  return streamed(async (out) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = '码上评议';
    const sheet1 = wb.addWorksheet('部门指标', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
    sheet1.columns = DEPARTMENT_COLUMNS.map((c) => ({
      header: c.header,
      width: c.width,
      style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {},
    }));
    sheet1.getRow(1).font = { bold: true };
    for (const d of departments) sheet1.addRow(xlsxCells(DEPARTMENT_COLUMNS, d)).commit();
    sheet1.commit();

    const sheet2 = wb.addWorksheet('评价明细', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet2.columns = RATING_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    sheet2.getRow(1).font = { bold: true };
    await forEachRating(ratings, out, (r) => {
      sheet2.addRow(xlsxCells(RATING_COLUMNS, r)).commit();
    });
    sheet2.commit();
    await wb.commit();
  });
}

export function departmentsCsv(departments: readonly ExportDepartmentRow[]): Readable {
  return streamed(async (out) => {
    out.write(csvHeader(DEPARTMENT_COLUMNS));
    for (const d of departments) out.write(csvRecord(DEPARTMENT_COLUMNS, d));
    out.end();
  });
}

export function ratingsCsv(ratings: RatingSource): Readable {
  return streamed(async (out) => {
    out.write(csvHeader(RATING_COLUMNS));
    await forEachRating(ratings, out, (r) => {
      out.write(csvRecord(RATING_COLUMNS, r));
    });
    out.end();
  });
}
