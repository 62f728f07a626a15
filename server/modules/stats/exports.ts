// Exports of the indicators: an Excel workbook (部门指标 + 评价明细) and its CSV twin. Both stream:
// ratings are read in short synchronous cursor batches and written out between them, so a year of a
// county never sits in memory. Never a full phone number (DOMAIN.md).
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Db } from '../../../db/client.js';
import * as q from '../../../db/queries/stats.js';
import type { DepartmentStats, Indicators, RatingView } from '../../../shared/api/stats.js';
import { toRatingView, type StatsDeps } from './context.js';
import { csvLine, csvNumber, csvPercent, csvText, UTF8_BOM } from '../../lib/csv.js';
import { addDays } from '../../../shared/china-time.js';
import type { Period } from './period.js';

/** A department's row of the exports, or the 合计 row of the whole scope. */
export type ExportDepartmentRow = Indicators & Pick<DepartmentStats, 'name' | 'orgUnitName' | 'rank' | 'insufficient'>;

type Kind = 'text' | 'int' | 'rate' | 'score';

interface Column<T> {
  header: string;
  kind: Kind;
  width: number;
  get(row: T): string | number | null;
}

const yes = (b: boolean): string => (b ? '是' : '');

export const DEPARTMENT_COLUMNS: Column<ExportDepartmentRow>[] = [
  { header: '部门', kind: 'text', width: 26, get: (d) => d.name },
  { header: '所属县区', kind: 'text', width: 14, get: (d) => d.orgUnitName },
  { header: '评价数', kind: 'int', width: 9, get: (d) => d.total },
  { header: '非常满意', kind: 'int', width: 9, get: (d) => d.byScore['5'] },
  { header: '满意', kind: 'int', width: 7, get: (d) => d.byScore['4'] },
  { header: '基本满意', kind: 'int', width: 9, get: (d) => d.byScore['3'] },
  { header: '不满意', kind: 'int', width: 8, get: (d) => d.byScore['2'] },
  { header: '非常不满意', kind: 'int', width: 10, get: (d) => d.byScore['1'] },
  { header: '好评率', kind: 'rate', width: 9, get: (d) => d.goodRate },
  { header: '差评率', kind: 'rate', width: 9, get: (d) => d.badRate },
  { header: '综合评分', kind: 'score', width: 9, get: (d) => d.score },
  { header: '排名', kind: 'int', width: 7, get: (d) => d.rank },
  { header: '样本不足', kind: 'text', width: 9, get: (d) => yes(d.insufficient) },
  { header: '实名差评', kind: 'int', width: 9, get: (d) => d.realNameBad },
  { header: '实名差评已回访', kind: 'int', width: 12, get: (d) => d.realNameBadVisited },
  { header: '实名差评回访率', kind: 'rate', width: 12, get: (d) => d.visitRate },
  { header: '有效差评', kind: 'int', width: 9, get: (d) => d.validBad },
  { header: '已整改', kind: 'int', width: 8, get: (d) => d.validRectified },
  { header: '差评整改率', kind: 'rate', width: 10, get: (d) => d.rectifyRate },
  { header: '已反馈', kind: 'int', width: 8, get: (d) => d.answered },
  { header: '满意或基本满意', kind: 'int', width: 12, get: (d) => d.answeredSatisfied },
  { header: '整改满意率', kind: 'rate', width: 10, get: (d) => d.satisfactionRate },
  { header: '办结', kind: 'int', width: 7, get: (d) => d.closed },
  { header: '按期办结', kind: 'int', width: 9, get: (d) => d.closedOnTime },
  { header: '按期办结率', kind: 'rate', width: 10, get: (d) => d.onTimeRate },
];

export const RATING_COLUMNS: Column<RatingView>[] = [
  { header: '时间', kind: 'text', width: 20, get: (r) => r.time },
  { header: '部门', kind: 'text', width: 24, get: (r) => r.departmentName },
  { header: '评议码', kind: 'text', width: 12, get: (r) => r.codeId },
  { header: '位置', kind: 'text', width: 30, get: (r) => r.location },
  { header: '评分', kind: 'int', width: 6, get: (r) => r.score },
  { header: '评价', kind: 'text', width: 11, get: (r) => r.wording },
  { header: '类别', kind: 'text', width: 6, get: (r) => (r.score <= 2 ? '差评' : '好评') },
  { header: '标签', kind: 'text', width: 30, get: (r) => r.tags.join('、') },
  { header: '留言', kind: 'text', width: 40, get: (r) => r.comment },
  { header: '手机号（脱敏）', kind: 'text', width: 14, get: (r) => r.phone },
  { header: '已排除', kind: 'text', width: 8, get: (r) => yes(r.excluded) },
  { header: '待核查', kind: 'text', width: 8, get: (r) => yes(r.flagged) },
];

const NUM_FMT: Record<Kind, string | undefined> = { text: undefined, int: '0', rate: '0.00%', score: '0.00' };

function csvCell(kind: Kind, v: string | number | null): string {
  if (kind === 'text') return csvText(v === null ? null : String(v));
  const n = typeof v === 'number' ? v : null;
  if (kind === 'rate') return csvPercent(n);
  if (kind === 'score') return csvNumber(n, 2);
  return csvNumber(n);
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
 * Every rating of the period (excluded and flagged ones too, marked), in time order. Each batch is
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
      for (const row of q.iterateRatingBatch(src.db, src.departmentIds, day, after, batch)) {
        write(toRatingView(src.crypto, row));
        after = { createdAt: row.createdAt, id: row.id };
        n++;
      }
      await breathe(out);
      if (n < batch) break;
    }
  }
}

async function breathe(out: PassThrough): Promise<void> {
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
function streamed(run: (out: PassThrough) => Promise<void>): Readable {
  const out = new PassThrough();
  run(out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

export function xlsxExport(departments: readonly ExportDepartmentRow[], ratings: RatingSource): Readable {
  return streamed(async (out) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = '码上评议';
    const sheet1 = wb.addWorksheet('部门指标', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
    sheet1.columns = DEPARTMENT_COLUMNS.map((c) => ({ header: c.header, width: c.width, style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {} }));
    sheet1.getRow(1).font = { bold: true };
    for (const d of departments) sheet1.addRow(DEPARTMENT_COLUMNS.map((c) => c.get(d))).commit();
    sheet1.commit();

    const sheet2 = wb.addWorksheet('评价明细', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet2.columns = RATING_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    sheet2.getRow(1).font = { bold: true };
    await forEachRating(ratings, out, (r) => {
      sheet2.addRow(RATING_COLUMNS.map((c) => c.get(r))).commit();
    });
    sheet2.commit();
    await wb.commit();
  });
}

export function departmentsCsv(departments: readonly ExportDepartmentRow[]): Readable {
  return streamed(async (out) => {
    out.write(UTF8_BOM + csvLine(DEPARTMENT_COLUMNS.map((c) => csvText(c.header))));
    for (const d of departments) out.write(csvLine(DEPARTMENT_COLUMNS.map((c) => csvCell(c.kind, c.get(d)))));
    out.end();
  });
}

export function ratingsCsv(ratings: RatingSource): Readable {
  return streamed(async (out) => {
    out.write(UTF8_BOM + csvLine(RATING_COLUMNS.map((c) => csvText(c.header))));
    await forEachRating(ratings, out, (r) => {
      out.write(csvLine(RATING_COLUMNS.map((c) => csvCell(c.kind, c.get(r)))));
    });
    out.end();
  });
}
