import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { buildNovember, EXPECTED_A, EXPECTED_B, expectNoFullPhone, NOVEMBER } from './dataset.js';

const { t } = useTestWorld({ world: false });
let d: Awaited<ReturnType<typeof buildNovember>>;
beforeEach(async () => {
  d = await buildNovember(t);
});

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF) — enough to read our own files back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

async function download(path: string, user: { id: number; role: string }, query: Record<string, string> = NOVEMBER) {
  const res = await t.app.inject({ method: 'GET', url: `${path}?${new URLSearchParams(query)}`, headers: bearerFor(t.app, user) });
  return res;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

describe('Exports: the workbook and its CSV twin carry the same indicators as the API', () => {
  it('export.xlsx: 部门指标 with exact values and formats, 评价明细 with masked phones and marks', async () => {
    const res = await download('/api/stats/export.xlsx', d.w.supervisor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const cd = String(res.headers['content-disposition']);
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('好差评统计_2026-11-01至2026-11-30.xlsx')}`);
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"/);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('部门指标')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 11)).toEqual([
      '部门',
      '所属县区',
      '评价数',
      '非常满意',
      '满意',
      '基本满意',
      '不满意',
      '非常不满意',
      '好评率',
      '差评率',
      '综合评分',
    ]);
    const col = (name: string) => headers.indexOf(name) + 1;
    const rowOf = (name: string) => {
      for (let i = 2; i <= sheet.rowCount; i++) if (sheet.getRow(i).getCell(1).value === name) return sheet.getRow(i);
      throw new Error(`no row ${name}`);
    };
    const a = rowOf(d.w.deptA.name);
    expect(a.getCell(col('评价数')).value).toBe(EXPECTED_A.total);
    expect(a.getCell(col('非常不满意')).value).toBe(2);
    expect(a.getCell(col('好评率')).value).toBe(EXPECTED_A.goodRate);
    expect(a.getCell(col('好评率')).numFmt).toBe('0.00%');
    expect(a.getCell(col('综合评分')).value).toBeCloseTo(EXPECTED_A.score, 12);
    expect(a.getCell(col('实名差评回访率')).value).toBe(EXPECTED_A.visitRate);
    expect(a.getCell(col('差评整改率')).value).toBeCloseTo(EXPECTED_A.rectifyRate, 12);
    expect(a.getCell(col('整改满意率')).value).toBeCloseTo(EXPECTED_A.satisfactionRate, 12);
    expect(a.getCell(col('按期办结率')).value).toBeCloseTo(EXPECTED_A.onTimeRate, 12);
    expect(a.getCell(col('排名')).value).toBe(1);
    const b = rowOf(d.w.deptB.name);
    expect(b.getCell(col('评价数')).value).toBe(3);
    expect(b.getCell(col('样本不足')).value).toBe('是');
    expect(b.getCell(col('排名')).value ?? null).toBeNull();
    expect(b.getCell(col('差评整改率')).value ?? null).toBeNull();
    expect(b.getCell(col('差评率')).value).toBeCloseTo(EXPECTED_B.badRate!, 12);
    expect(rowOf('合计').getCell(col('评价数')).value).toBe(13);
    // Department C (another county) is not in the supervisor's scope.
    expect(() => rowOf(d.w.deptC.name)).toThrow();

    const detail = wb.getWorksheet('评价明细')!;
    expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const dh = (detail.getRow(1).values as unknown[]).slice(1);
    expect(dh).toEqual([
      '时间',
      '部门',
      '评议码',
      '位置',
      '评分',
      '评价',
      '类别',
      '标签',
      '留言',
      '手机号（脱敏）',
      '已排除',
      '曾被标记',
      '暂扣待核查',
      '渠道',
      '评价次数',
      '已被追评取代',
    ]);
    expect(detail.rowCount - 1).toBe(14); // 11 of A + 3 of B, excluded one included (marked)
    const rows = Array.from({ length: detail.rowCount - 1 }, (_, i) => (detail.getRow(i + 2).values as unknown[]).slice(1));
    expect(rows.map((r) => r[0])).toEqual([...rows.map((r) => r[0])].sort()); // time order
    const r7 = rows.find((r) => r[9] === '138****0007')!;
    expect(r7[10]).toBe('是');
    expect(r7[7]).toBe('服务态度差');
    const r1 = rows.find((r) => r[0] === '2026-11-02 09:15:00')!;
    expect(r1.slice(0, 8)).toEqual([
      '2026-11-02 09:15:00',
      d.w.deptA.name,
      d.w.codeA.id,
      d.w.codeA.location,
      5,
      '非常满意',
      '好评',
      '态度热情',
    ]);
    expect(r1[9]).toBe('138****0001');
    const text = JSON.stringify(rows);
    expectNoFullPhone(text);
    expect(text).toContain('138****5678'); // the number typed into a comment is masked too
  });

  it('export.csv: UTF-8 with BOM, RFC 4180, same figures as the API', async () => {
    const res = await download('/api/stats/export.csv', d.w.supervisor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(res.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('部门指标_2026-11-01至2026-11-30.csv')}`,
    );
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(raw.subarray(3).toString('utf8'));
    const h = rows[0]!;
    const a = rows.find((r) => r[0] === d.w.deptA.name)!;
    const b = rows.find((r) => r[0] === d.w.deptB.name)!;
    const cell = (r: string[], name: string) => r[h.indexOf(name)];
    expect(cell(a, '评价数')).toBe('10');
    expect(cell(a, '好评率')).toBe('50.00%');
    expect(cell(a, '综合评分')).toBe('58.00');
    expect(cell(a, '实名差评回访率')).toBe('75.00%');
    expect(cell(a, '差评整改率')).toBe(pct(2 / 3));
    expect(cell(a, '逾期未办结')).toBe('1');
    expect(cell(a, '按期办结率')).toBe(pct(EXPECTED_A.onTimeRate));
    expect(cell(a, '排名')).toBe('1');
    expect(cell(b, '样本不足')).toBe('是');
    expect(cell(b, '差评整改率')).toBe('');
    expect(cell(b, '综合评分')).toBe(((11 * 20) / 3).toFixed(2));
    expect(rows.find((r) => r[0] === '合计')).toBeDefined();
    expect(rows.every((r) => r.length === h.length)).toBe(true);
  });

  it('export.csv?sheet=ratings: the detail, formula injection neutralised, never a full phone', async () => {
    const res = await download('/api/stats/export.csv', d.w.headA, { ...NOVEMBER, sheet: 'ratings' });
    expect(res.statusCode).toBe(200);
    const text = res.rawPayload.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows).toHaveLength(1 + 11); // head A: only department A
    const comment = rows.find((r) => r[8]?.includes('HYPERLINK'))![8];
    expect(comment).toBe(`'=HYPERLINK("http://evil") 请回电138****5678`);
    expect(rows.slice(1).every((r) => r[1] === d.w.deptA.name)).toBe(true);
    expectNoFullPhone(text);
  });

  it('a head exports only their own department', async () => {
    const res = await download('/api/stats/export.xlsx', d.w.headB);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = (wb.getWorksheet('部门指标')!.getColumn(1).values as unknown[]).slice(2);
    expect(names).toEqual([d.w.deptB.name, '合计']);
    const detail = wb.getWorksheet('评价明细')!;
    const depts = new Set(Array.from({ length: detail.rowCount - 1 }, (_, i) => detail.getRow(i + 2).getCell(2).value));
    expect([...depts]).toEqual([d.w.deptB.name]);
  });
});
