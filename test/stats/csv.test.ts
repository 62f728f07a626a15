import { describe, expect, it } from 'vitest';
import { csvLine, csvNumber, csvPercent, csvText } from '../../server/lib/csv.js';
import { redactPhones } from '../../server/lib/redact.js';
import { ratingsCsv } from '../../server/modules/stats/exports.js';
import { makeTestApp } from '../helpers/app.js';
import { makeRating, makeWorld } from '../helpers/factories.js';

describe('CSV cells (RFC 4180, formula injection)', () => {
  it('prefixes text starting with = + - @ (and tab / CR) with a single quote', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('+86 电话')).toBe("'+86 电话");
    expect(csvText('-2')).toBe("'-2");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\tx')).toBe("'\tx");
    expect(csvText('普通留言')).toBe('普通留言');
    expect(csvText('a = b')).toBe('a = b');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('他说"好"')).toBe('"他说""好"""');
    expect(csvText('一行\r\n两行')).toBe('"一行\r\n两行"');
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvText(null)).toBe('');
  });

  it('numbers are never prefixed; rates are percentages; null is empty', () => {
    expect(csvNumber(-3)).toBe('-3');
    expect(csvNumber(58, 2)).toBe('58.00');
    expect(csvNumber(null)).toBe('');
    expect(csvPercent(2 / 3)).toBe('66.67%');
    expect(csvPercent(null)).toBe('');
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
  });

  it('masks mobile numbers typed into free text', () => {
    expect(redactPhones('请回电13812345678谢谢')).toBe('请回电138****5678谢谢');
    expect(redactPhones('138 1234 5678 或 138-1234-5678')).toBe('138****5678 或 138****5678');
    expect(redactPhones('工单号 2138123456789')).toBe('工单号 2138123456789');
  });
});

describe('streamed rating detail', () => {
  it('crosses cursor batches without losing or repeating a rating, even at equal timestamps', async () => {
    const t = await makeTestApp();
    try {
      const w = await makeWorld(t.db);
      const at = Date.parse('2026-11-05T10:00:00+08:00');
      const ids: number[] = [];
      for (let i = 0; i < 7; i++)
        ids.push(
          (await makeRating(t.services, { codeId: w.codeA.id, score: 5, createdAt: at + (i < 4 ? 0 : i), comment: `c${i}` })).rating.id,
        );
      ids.push(
        (await makeRating(t.services, { codeId: w.codeB.id, score: 4, createdAt: Date.parse('2026-11-07T10:00:00+08:00') })).rating.id,
      );
      const stream = ratingsCsv({
        db: t.db,
        crypto: t.services.crypto,
        departmentIds: [w.deptA.id, w.deptB.id],
        period: { from: '2026-11-01', to: '2026-11-30' },
        batchSize: 3,
      });
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(Buffer.from(c));
      const lines = Buffer.concat(chunks).toString('utf8').trim().split('\r\n');
      expect(lines).toHaveLength(1 + 8);
      expect(lines.slice(1).map((l) => l.slice(0, 19))).toEqual([
        ...Array(4).fill('2026-11-05 10:00:00'),
        '2026-11-05 10:00:00',
        '2026-11-05 10:00:00',
        '2026-11-05 10:00:00',
        '2026-11-07 10:00:00',
      ]);
      // Each rating exactly once: the comments c0…c6 of department A, in (time, id) order.
      expect(lines.slice(1, 8).map((l) => l.split(',')[8])).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    } finally {
      await t.close();
    }
  });
});
