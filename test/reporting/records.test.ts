// Upward reporting, item 5 (docs/domain.md 数据上报, docs/api.md /api/reports/*): the record model of
// the outside contract, exported as JSON Lines and .xlsx per month and org unit, held records and why.
import { inflateRawSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { redactPhones } from '../../server/lib/redact.js';
import { missingCodes, ratingRecord } from '../../server/modules/reporting/records.js';
import { drive } from '../cases/helpers.js';
import { bearerFor, T0, writeSql } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const { t, w } = useTestWorld();
const CREDIT_A = '11410000MB0000001A';
const CREDIT_B = '11410000MB0000002B';
const AREA = '410102000000';
const MONTH = 'month=2026-11';
const unit = () => `orgUnitId=${w.county.id}`;

beforeEach(async () => {
  await writeSql(t.db, sql`UPDATE departments SET credit_code = ${CREDIT_A} WHERE id = ${w.deptA.id}`);
  await writeSql(t.db, sql`UPDATE departments SET credit_code = ${CREDIT_B} WHERE id = ${w.deptB.id}`);
  await writeSql(t.db, sql`UPDATE org_units SET area_code = ${AREA} WHERE id = ${w.county.id}`);
});

const get = (url: string, user: { id: number; role: string } = w.supervisor) => t.app.inject({ url, headers: bearerFor(t.app, user) });
const rateLink = (token: string, body: object) =>
  t.app.inject({ method: 'POST', url: `/api/e/${token}/ratings`, payload: body, remoteAddress: '10.9.9.9' });

async function jsonl(query = `${MONTH}&${unit()}`) {
  const res = await get(`/api/reports/records.jsonl?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  const lines = res.body.split('\n');
  expect(lines.pop()).toBe('');
  return { res, records: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The XML parts of an .xlsx (a zip): read through its central directory, each part inflated. */
function xlsxXml(zip: Buffer): string {
  let end = zip.length - 22;
  while (zip.readUInt32LE(end) !== 0x06054b50) end--;
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  let xml = '';
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    xml += (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
    at += 46 + nameLen + extra + comment;
  }
  return xml;
}

/** Stores text as it was before input masking (the records must mask it themselves). */
const storeRawComment = (id: number, comment: string) => writeSql(t.db, sql`UPDATE ratings SET comment = ${comment} WHERE id = ${id}`);

describe('the rating record (outside contract)', () => {
  it('a window-code rating: every field exactly, pf 3, assessNumber 1, evalDetail from report.detailCodes', async () => {
    const at = Date.parse('2026-11-05T09:30:15+08:00');
    const { rating } = await makeRating(t.services, {
      codeId: w.codeA.id,
      score: 4,
      createdAt: at,
      tags: ['态度热情', '自定义理由', '办事高效'],
    });
    const { records } = await jsonl();
    expect(records).toEqual([
      {
        recordId: `rating-${rating.id}`,
        type: 'rating',
        ratingId: rating.id,
        projectNo: null,
        assessNumber: 1,
        satisfaction: 4,
        pf: '3',
        // A tag without a code is left out.
        evalDetail: ['101', '102'],
        writingEvaluation: null,
        assessTime: '2026-11-05T09:30:15+08:00',
        deptCode: CREDIT_A,
        deptName: w.deptA.name,
        areaCode: AREA,
        taskCode: null,
        taskName: null,
        proManager: null,
        userProp: null,
      },
    ]);
  });

  it('a 办件-link rating and its 追评: both reported, assessNumber 1 and 2, pf 2, the 办件 fields filled', async () => {
    const m = await makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, projectNo: 'BJ-2026-0001', staffName: '张敏' });
    const first = await rateLink(m.linkToken!, { score: 2, tags: ['服务态度差'], idempotencyKey: 'k-000000001' });
    const second = await rateLink(m.linkToken!, { score: 5, idempotencyKey: 'k-000000002' });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const { records } = await jsonl();
    const bound = {
      type: 'rating',
      projectNo: 'BJ-2026-0001',
      pf: '2',
      deptCode: CREDIT_A,
      areaCode: AREA,
      taskCode: m.taskCode,
      taskName: m.taskName,
      proManager: '张敏',
      userProp: '1',
    };
    expect(records).toEqual([
      expect.objectContaining({ ...bound, recordId: `rating-${first.json().id}`, assessNumber: 1, satisfaction: 2, evalDetail: ['201'] }),
      expect.objectContaining({ ...bound, recordId: `rating-${second.json().id}`, assessNumber: 2, satisfaction: 5, evalDetail: [] }),
    ]);
  });

  it('a kiosk rating is pf 4, a system default rating pf 7 (never a citizen’s pf 1)', async () => {
    const kiosk = (await makeRating(t.services, { codeId: w.codeA.id, score: 5 })).rating;
    const dflt = (await makeRating(t.services, { codeId: w.codeA.id, score: 5 })).rating;
    await writeSql(t.db, sql`UPDATE ratings SET channel = 'kiosk' WHERE id = ${kiosk.id}`);
    await writeSql(t.db, sql`UPDATE ratings SET channel = 'default' WHERE id = ${dflt.id}`);
    const { records } = await jsonl();
    expect(records.map((r) => [r.ratingId, r.pf])).toEqual([
      [kiosk.id, '4'],
      [dflt.id, '7'],
    ]);
  });

  it('a paper questionnaire and a 12345 return call typed in by staff are pf 5 (政务大厅其他终端)', async () => {
    const enter = (channel: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/ratings/paper',
        payload: { code: w.codeA.id, channel, entries: [{ score: 4, date: '2026-11-23' }] },
        headers: bearerFor(t.app, w.supervisor),
      });
    const paper = (await enter('paper')).json().ids[0];
    const call = (await enter('12345')).json().ids[0];
    const { records } = await jsonl();
    expect(records.map((r) => [r.ratingId, r.pf])).toEqual([
      [paper, '5'],
      [call, '5'],
    ]);
  });

  it('held and excluded ratings are absent; recordId is stable across two exports', async () => {
    const kept = (await makeRating(t.services, { codeId: w.codeA.id, score: 5 })).rating;
    const held = (await makeRating(t.services, { codeId: w.codeA.id, score: 5 })).rating;
    const excluded = (await makeRating(t.services, { codeId: w.codeB.id, score: 5 })).rating;
    await writeSql(t.db, sql`UPDATE ratings SET held = 1 WHERE id = ${held.id}`);
    await writeSql(t.db, sql`UPDATE ratings SET excluded = 1 WHERE id = ${excluded.id}`);
    const once = await jsonl();
    const twice = await jsonl();
    expect(once.records.map((r) => r.recordId)).toEqual([`rating-${kept.id}`]);
    expect(twice.res.body).toBe(once.res.body);
  });

  it('the rating of another county is not in the export; another county’s unit is 404', async () => {
    await makeRating(t.services, { codeId: w.codeC.id, score: 5 });
    expect((await jsonl()).records).toEqual([]);
    const res = await get(`/api/reports/records.jsonl?${MONTH}&orgUnitId=${w.otherCounty.id}`);
    expect(res.statusCode).toBe(404);
    expect((await get(`/api/reports/records.xlsx?${MONTH}&orgUnitId=${w.otherCounty.id}`)).statusCode).toBe(404);
    expect((await get(`/api/reports/held?${MONTH}&orgUnitId=${w.otherCounty.id}`)).statusCode).toBe(404);
    expect((await get(`/api/reports/held?${MONTH}&${unit()}`, w.headA)).statusCode).toBe(403);
  });

  it('a bad month is 400 in Chinese', async () => {
    for (const month of ['2026-13', '2026-1', 'x']) {
      const res = await get(`/api/reports/records.jsonl?month=${month}&${unit()}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('phone numbers never leave', () => {
  const PHONES = ['13812345678', '138 1234 5678', '138-1234-5678', '+86 139 0013 8000', '１３９１２３４５６７８'];
  const digitsRun = /1[3-9]\d{9}/;

  it('masked in writingEvaluation and case rectification, in JSONL and in every XML part of the xlsx', async () => {
    const { rating } = await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    await storeRawComment(rating.id, `请回电 ${PHONES.join(' 或 ')}`);
    const bad = await makeRating(t.services, { codeId: w.codeA.id, score: 1, phone: '13912345678', tags: ['服务态度差'] });
    await drive(t, w.supervisor, bad.case!.id, { to: 'visited', classification: 'valid' });
    await drive(t, w.headA, bad.case!.id, { to: 'rectifying' });
    await drive(t, w.headA, bad.case!.id, { to: 'rectified', note: '已整改' });
    await drive(t, w.supervisor, bad.case!.id, { to: 'answered', satisfaction: 'satisfied' });
    await drive(t, w.supervisor, bad.case!.id, { to: 'closed' });
    await writeSql(
      t.db,
      sql`UPDATE case_events SET note = ${'整改完成，联系 138 1234 5678'} WHERE case_id = ${bad.case!.id} AND to_status = 'rectified'`,
    );

    const { res, records } = await jsonl();
    const body = res.body.normalize('NFKC').replace(/[\s+-]/g, '');
    expect(body).not.toMatch(digitsRun);
    expect(records[0]!.writingEvaluation).toBe(redactPhones(`请回电 ${PHONES.join(' 或 ')}`));
    expect(records.at(-1)).toEqual({
      recordId: `case-${bad.case!.id}`,
      type: 'case_result',
      ratingId: bad.rating.id,
      projectNo: null,
      caseNo: bad.case!.caseNo,
      classification: 'valid',
      rectification: '整改完成，联系 138****5678',
      satisfaction: 'satisfied',
      closedAt: expect.stringMatching(/^2026-11-23T\d\d:\d\d:\d\d\+08:00$/),
    });

    const xlsx = await get(`/api/reports/records.xlsx?${MONTH}&${unit()}`);
    expect(xlsx.statusCode).toBe(200);
    const xml = xlsxXml(xlsx.rawPayload);
    expect(xml).toContain('138****5678');
    expect(xml.normalize('NFKC').replace(/[\s+-]/g, '')).not.toMatch(digitsRun);
  });

  it('the builder masks and the reasons are in Chinese (pure)', () => {
    const r = ratingRecord(
      {
        id: 7,
        createdAt: T0,
        score: 1,
        tags: ['无代码'],
        comment: '   ',
        channel: 'qr',
        assessNumber: null,
        deptName: '某局',
        creditCode: null,
        areaCode: '',
        projectNo: 'P1',
        taskCode: '',
        taskName: 'x',
        staffName: null,
        applicantType: 'legal',
      },
      {},
    );
    expect(r).toMatchObject({ writingEvaluation: null, evalDetail: [], userProp: '2', deptCode: null, areaCode: null, taskCode: null });
    expect(missingCodes(r, 1)).toEqual([
      '部门缺少统一社会信用代码',
      '组织单位缺少行政区划代码',
      '办件缺少事项编码',
      '差评的理由缺少评价详情代码，又无文字评价（省级系统拒收）',
    ]);
    // The citizen gave no reason and no comment: nothing to fill in, nothing about it is missing.
    expect(missingCodes({ ...r, deptCode: 'x', areaCode: 'y', taskCode: 'z' }, 0)).toEqual([]);
  });
});

describe('held records (暂缓上报)', () => {
  it('a department without a credit code: its records are held with the reason, counted in X-Held-Records and the 暂缓上报 sheet', async () => {
    await writeSql(t.db, sql`UPDATE departments SET credit_code = NULL WHERE id = ${w.deptB.id}`);
    const a = (await makeRating(t.services, { codeId: w.codeA.id, score: 5 })).rating;
    const b1 = (await makeRating(t.services, { codeId: w.codeB.id, score: 5 })).rating;
    const b2 = (await makeRating(t.services, { codeId: w.codeB.id, score: 4 })).rating;
    const { res, records } = await jsonl();
    expect(res.headers['x-held-records']).toBe('2');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E6%95%B0%E6%8D%AE%E4%B8%8A%E6%8A%A5");
    expect(records.map((r) => r.ratingId)).toEqual([a.id]);

    const held = await get(`/api/reports/held?${MONTH}&${unit()}`);
    expect(held.json()).toEqual({
      total: 2,
      reasons: [{ reason: '部门缺少统一社会信用代码', count: 2 }],
      records: [
        { recordId: `rating-${b1.id}`, ratingId: b1.id, reasons: ['部门缺少统一社会信用代码'] },
        { recordId: `rating-${b2.id}`, ratingId: b2.id, reasons: ['部门缺少统一社会信用代码'] },
      ],
    });

    const xlsx = await get(`/api/reports/records.xlsx?${MONTH}&${unit()}`);
    expect(xlsx.headers['x-held-records']).toBe('2');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['评价记录', '整改结果', '暂缓上报']);
    const sheet = wb.getWorksheet('评价记录')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['记录编号', '评价编号', '办件编号']);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 4)).toEqual(['recordId', 'ratingId', 'projectNo']);
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(3).getCell(1).value).toBe(`rating-${a.id}`);
    const heldSheet = wb.getWorksheet('暂缓上报')!;
    expect(heldSheet.rowCount).toBe(4);
    expect((heldSheet.getRow(3).values as unknown[]).slice(1)).toEqual([`rating-${b1.id}`, 'rating', b1.id, '部门缺少统一社会信用代码']);
  });

  it('a 差评 whose reasons lack their evalDetail codes, with no comment, is held; with a mapped tag, or with no reason at all, it is sent', async () => {
    const uncoded = (await makeRating(t.services, { codeId: w.codeA.id, score: 2, tags: ['没有代码的理由'] })).rating;
    const tagged = (await makeRating(t.services, { codeId: w.codeA.id, score: 2, tags: ['服务态度差'] })).rating;
    // Every counted rating is reported: a 差评 the citizen gave no reason for has nothing to fill in.
    const bare = (await makeRating(t.services, { codeId: w.codeA.id, score: 1 })).rating;
    const { res, records } = await jsonl();
    expect(res.headers['x-held-records']).toBe('1');
    expect(records.map((r) => r.ratingId)).toEqual([tagged.id, bare.id]);
    expect(records[1]).toMatchObject({ satisfaction: 1, evalDetail: [], writingEvaluation: null });
    expect((await get(`/api/reports/held?${MONTH}&${unit()}`)).json().records).toEqual([
      { recordId: `rating-${uncoded.id}`, ratingId: uncoded.id, reasons: ['差评的理由缺少评价详情代码，又无文字评价（省级系统拒收）'] },
    ]);
  });
});
