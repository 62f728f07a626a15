// Free text (issue 9, findings 5 and 6): mobile numbers typed into it are masked in every format a
// citizen types them, stored masked and masked on every way out; text is cleaned at input, so one
// comment can never break the Excel export. docs/domain.md (个人信息保护, 文本的规范化).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { csvText } from '../../server/lib/csv.js';
import { redactPhones } from '../../server/lib/redact.js';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

// ---- Generators: numbers as people type them, inside Chinese text ----

const DIGIT = fc.constantFrom(...'0123456789');
const FULL_WIDTH = '０１２３４５６７８９';
/** A mainland mobile: 1, 3–9, nine digits. */
const mobile = fc
  .tuple(fc.constantFrom(...'3456789'), fc.string({ unit: DIGIT, minLength: 9, maxLength: 9 }))
  .map(([second, rest]) => `1${second}${rest}`);
const SEPARATORS = [' ', '  ', '-', ' - ', '.', '\u00a0', '\u3000', '—', '－', '．', '。', '\u200b'];
const PREFIXES = ['', '+86', '+86 ', '+86-', '86', '86 ', '0086', '0086 ', '＋86', '(+86)', '（+86）', '+８６ '];
/** Where the separators go: none, the usual 3-4-4, 3-8, 7-4, between every digit, anywhere. */
const LAYOUTS: readonly (readonly number[] | 'any')[] = [[], [3, 7], [3], [7], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'any'];

const typedMobile = fc
  .record({
    phone: mobile,
    prefix: fc.constantFrom(...PREFIXES),
    layout: fc.constantFrom(...LAYOUTS),
    anywhere: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 10 }),
    sep: fc.constantFrom(...SEPARATORS),
    width: fc.constantFrom('ascii', 'full', 'mixed'),
    mixed: fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }),
  })
  .map(({ phone, prefix, layout, anywhere, sep, width, mixed }) => {
    const cuts = new Set(layout === 'any' ? anywhere : layout);
    let typed = prefix;
    [...phone].forEach((d, i) => {
      if (cuts.has(i)) typed += sep;
      const wide = width === 'full' || (width === 'mixed' && mixed[i]);
      typed += wide ? FULL_WIDTH[Number(d)] : d;
    });
    return { phone, typed };
  });

// Chinese text around it: no digits, nothing a number could start or end with (+, brackets, ¥, 元).
const TEXT_CHARS = [...'请回电话我的号码是谢谢窗口办事人员态度很好差等了两个小时没有人管，。！？：；、“”abcXYZ '];
const chineseText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...TEXT_CHARS), maxLength });

/** Digits that are not a mobile: a 办件号, a date, a time, an amount, short and long numbers. */
const notAMobile = fc.oneof(
  fc.string({ unit: DIGIT, minLength: 18, maxLength: 18 }).map((n) => `办件号${n}`),
  fc
    .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 })).map(([a, b]) => `${a}:00-${b}:30`),
  fc.tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}.${b}元`),
  fc.string({ unit: DIGIT, minLength: 1, maxLength: 10 }),
  // Not one that is a mobile after 86 or 0086 (13 or 15 digits): that one is masked (PREFIXES).
  fc.string({ unit: DIGIT, minLength: 12, maxLength: 30 }).filter((n) => !/^(?:00)?861[3-9][0-9]{9}$/.test(n)),
);

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

describe('redactPhones: the one masker of numbers in free text', () => {
  it('masks a mobile in any format inside Chinese text and leaves the text around it as it is', () => {
    fc.assert(
      fc.property(chineseText(40), typedMobile, chineseText(40), (before, { phone, typed }, after) => {
        expect(redactPhones(`${before}${typed}${after}`)).toBe(`${before}${masked(phone)}${after}`);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves digits that are no mobile alone', () => {
    fc.assert(
      fc.property(chineseText(20), notAMobile, chineseText(20), (before, digits, after) => {
        const text = `${before}${digits}${after}`;
        expect(redactPhones(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
    for (const text of ['办件号 330102202611260001', '2026-11-26 办结', '金额 150000000.00元', '共 13800 元', '工单号 2138123456789'])
      expect(redactPhones(text)).toBe(text);
    // The run of digits the generator above leaves out: a mobile after 86 or 0086 is one.
    expect(redactPhones('工单号8613800138000')).toBe('工单号138****8000');
    expect(redactPhones('008613800138000')).toBe('138****8000');
  });

  it('masks two numbers side by side', () => {
    expect(redactPhones('13800138000,13900139000')).toBe('138****8000,139****9000');
    expect(redactPhones('13800138000.13900139000')).toBe('138****8000.139****9000');
    expect(redactPhones('电话 13800138000 2026-11-26 来过')).toBe('电话 138****8000 2026-11-26 来过');
  });
});

// ---- Through the real routes: stored, staff views, exports, webhooks ----

// The robots' receivers listen on 127.0.0.1, which a webhook may only reach with WEBHOOK_ALLOW_PRIVATE=true.
const { t, w } = useTestWorld({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
const DAY = { from: '2026-11-23', to: '2026-11-23' }; // T0's day
const servers: Server[] = [];
afterEach(async () => {
  while (servers.length) await new Promise<void>((ok) => servers.pop()!.close(() => ok()));
});

/** A robot on loopback that records every JSON body it is sent. */
async function receiver(): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      bodies.push(raw);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/webhook/send?key=k`, bodies };
}

let rater = 0;
/** A citizen's rating through the public route, from its own device and network. */
async function rate(comment: string, score = 1) {
  rater++;
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/codes/${w.codeA.id}/ratings`,
    payload: { score, tags: score <= 2 ? ['服务态度差'] : [], comment, clientId: `free-text-${String(rater).padStart(6, '0')}` },
    remoteAddress: `10.9.${rater >> 8}.${rater & 255}`,
  });
  return res;
}
const storedComment = async (id: number) =>
  (await firstRow<{ comment: string | null }>(t.db, sql`SELECT comment FROM ratings WHERE id = ${id}`))!.comment;

const get = (url: string, user: { id: number; role: string } = w.supervisor) => t.app.inject({ url, headers: bearerFor(t.app, user) });

/** Rates a 差评, moves its case to 回访 with `note`, and answers the note as stored. */
async function storedVisitNote(note: string): Promise<string | undefined> {
  const res = await rate('窗口人员态度冷淡');
  const kase = (await get('/api/cases')).json().cases.find((c: { ratingId: number }) => c.ratingId === res.json().id);
  const moved = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${kase.id}/transitions`,
    headers: bearerFor(t.app, w.supervisor),
    payload: { to: 'visited', classification: 'valid', note },
  });
  expect(moved.statusCode).toBe(200);
  const row = await firstRow<{ note: string }>(
    t.db,
    sql`SELECT note FROM case_events WHERE case_id = ${kase.id} AND to_status = 'visited'`,
  );
  return row?.note;
}

async function hooks() {
  const wecom = await receiver();
  const ding = await receiver();
  for (const [kind, r] of [
    ['wecom', wecom],
    ['dingtalk', ding],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: bearerFor(t.app, w.admin),
      payload: { name: kind, kind, url: r.url, events: ['bad_rating'] },
    });
    expect(res.statusCode).toBe(201);
  }
  return async () => {
    while ((await t.services.notifications.deliverDue()).attempted > 0);
    return [...wecom.bodies, ...ding.bodies];
  };
}

/** Every way a comment leaves the server to staff: comment view, rating lists, exports. */
async function staffOutputs() {
  const q = new URLSearchParams(DAY);
  const comments = (await get(`/api/stats/comments?${q}&limit=200`)).json().comments as { id: number; comment: string }[];
  const csv = (await get(`/api/stats/export.csv?${q}&sheet=ratings`)).rawPayload.toString('utf8');
  const xlsx = await get(`/api/stats/export.xlsx?${q}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('评价明细')!;
  const column = (sheet.getRow(1).values as unknown[]).indexOf('留言');
  const cells: string[] = [];
  for (let i = 2; i <= sheet.rowCount; i++) cells.push(String(sheet.getRow(i).getCell(column).value ?? ''));
  return { comments, csv, cells };
}

describe('numbers typed into a comment (finding 5)', () => {
  it('the four comments of the report: stored masked, masked in the staff views, the exports and the robots', async () => {
    const deliver = await hooks();
    const examples = [
      ['回电１３８００１３８００４', '回电138****8004'],
      ['电话138.0013.8005', '电话138****8005'],
      ['回电 138 0013 8001', '回电 138****8001'],
      ['回电 138-0013-8002', '回电 138****8002'],
    ] as const;
    const ids: number[] = [];
    for (const [typed, stored] of examples) {
      const res = await rate(typed);
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
      expect(await storedComment(res.json().id)).toBe(stored);
    }
    const { comments, csv, cells } = await staffOutputs();
    const cases = (await get('/api/cases')).json().cases as { id: number; ratingId: number }[];
    const robots = (await deliver()).join('\n');
    expect(robots).not.toBe('');
    for (const [i, [typed, stored]] of examples.entries()) {
      expect(comments.find((c) => c.id === ids[i])!.comment).toBe(stored);
      expect(cells).toContain(stored);
      expect(csv).toContain(csvText(stored));
      const kase = cases.find((c) => c.ratingId === ids[i])!;
      expect((await get(`/api/cases/${kase.id}`)).json().rating.comment).toBe(stored);
      expect(robots).toContain(stored.replace(/^回电|^电话/, ''));
      for (const out of [csv, robots, JSON.stringify(comments), cells.join('\n')]) expect(out).not.toContain(typed.slice(2));
    }
    expect(`${csv}${robots}`).not.toMatch(/138\s*-?\s*0013/);
  });

  it('property: a number in any format inside random Chinese text never leaves the server in full', async () => {
    const deliver = await hooks();
    const sent: { id: number; phone: string; typed: string; stored: string }[] = [];
    await fc.assert(
      fc.asyncProperty(chineseText(20), typedMobile, chineseText(20), async (before, { phone, typed }, after) => {
        const res = await rate(`${before}${typed}${after}`, 1 + (sent.length % 2));
        expect(res.statusCode).toBe(201);
        const id = res.json().id as number;
        const stored = `${before}${masked(phone)}${after}`.trim();
        expect(await storedComment(id)).toBe(stored);
        sent.push({ id, phone, typed, stored });
      }),
      { numRuns: 60 },
    );
    const { comments, csv, cells } = await staffOutputs();
    const robots = (await deliver()).join('\n');
    for (const s of sent) {
      expect(comments.find((c) => c.id === s.id)?.comment).toBe(s.stored);
      expect(cells).toContain(s.stored);
      expect(csv).toContain(csvText(s.stored));
      expect(robots).toContain(masked(s.phone));
      for (const out of [csv, robots, JSON.stringify(comments), cells.join('\n')]) {
        expect(out).not.toContain(s.phone);
        expect(out).not.toContain(s.typed);
      }
    }
  });

  it('case notes are stored masked too', async () => {
    expect(await storedVisitNote('群众另留号码 +86 139-1234-5678，已回访')).toBe('群众另留号码 139****5678，已回访');
  });
});

// ---- Text is cleaned at input (finding 6) ----

/** What XML 1.0 does not allow in character data (and what no text needs). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const NOT_XML = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|\p{Cs}/u;

describe('text is cleaned at input (finding 6)', () => {
  it('"\\uffff\\ufffe", NUL and lone surrogates are dropped; the export opens', async () => {
    const res = await rate('\uffff\ufffe', 5);
    expect(res.statusCode).toBe(201);
    expect(await storedComment(res.json().id)).toBeNull();
    const mixed = await rate('等了\u0000两个\ud800小时\udfff\u0007👍', 5);
    expect(await storedComment(mixed.json().id)).toBe('等了两个小时👍');
    const { cells } = await staffOutputs();
    expect(cells).toContain('等了两个小时👍');
  });

  it('the length limit counts the cleaned text', async () => {
    const res = await rate(`${'好'.repeat(500)}${'\u0000'.repeat(20)}`, 5);
    expect(res.statusCode).toBe(201);
    expect(await storedComment(res.json().id)).toBe('好'.repeat(500));
    expect((await rate('好'.repeat(501), 5)).statusCode).toBe(400);
  });

  it('every route cleans what it stores: a code location, a case note', async () => {
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeA.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { location: '\u0000县政务服务中心\uffff 3号窗口\ud83d' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().location).toBe('县政务服务中心 3号窗口');
    expect(await storedVisitNote('已回访\u0000\ufffe')).toBe('已回访');
  });

  it('property: any unicode comment leaves an export.xlsx that ExcelJS reopens, its text well formed', async () => {
    const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 });
    const anyComment = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      codeUnits,
      fc.constantFrom('\uffff\ufffe', '\u0000', '\ud800', 'a\udc00b', '\u001f\u000b\u000c'),
    );
    await fc.assert(
      fc.asyncProperty(anyComment, async (comment) => {
        const res = await rate(comment, 5);
        expect(res.statusCode, res.body).toBe(201);
        const stored = (await storedComment(res.json().id)) ?? '';
        expect(stored).not.toMatch(NOT_XML);
        const xlsx = await get(`/api/stats/export.xlsx?${new URLSearchParams(DAY)}`);
        expect(xlsx.statusCode).toBe(200);
        const wb = new ExcelJS.Workbook();
        // ExcelJS reads each part with a strict XML parser (saxes): a character XML forbids throws.
        await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
        const sheet = wb.getWorksheet('评价明细')!;
        const rated = (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n;
        expect(sheet.rowCount).toBe(1 + Number(rated));
      }),
      { numRuns: 50 },
    );
  });
});
