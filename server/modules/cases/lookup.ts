// 找回进度查询链接: a citizen who lost the status link gives the case number and the last 4 digits of
// the phone they left. Four digits are 10 000 guesses, so the wrong tries are counted per case number
// in the database (every instance counts together; docs/domain.md, 群众查询进度): the 6th try of a
// day is refused whoever sends it, before the phone is even compared. Every try is audit-logged.
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/cases.js';
import { countTry, giveBackTry } from '../../../db/queries/coordination.js';
import { NotFound, TooMany } from '../../errors.js';
import type { CasesDeps } from './cases.service.js';

/** Wrong tries a case number may have in a day (the right pair is still refused after them). */
export const LOOKUP_TRIES_PER_DAY = 5;
const DAY_MS = 86_400_000;

/**
 * One answer for every miss (unknown number, wrong digits, an anonymous case, a number erased after
 * the case closed): which part was wrong is never said.
 */
const NOT_FOUND =
  '未找到匹配的案件：请核对受理编号和手机号后四位。匿名评价没有留手机号，无法这样查询，请使用评价后页面上的“查看处理进度”链接。';

/**
 * The case number as a citizen may type it: spaces, lower case, any dash or none, without the CP (a
 * 差评's); a 办不成事's BB and a 投诉's TS prefix are kept.
 */
export function normalizeCaseNo(input: string): string {
  const s = input.replace(/[\s\-－—–_]/g, '').toUpperCase();
  const m = /^(CP|BB|TS)?(\d{8})(\d+)$/.exec(s);
  return m ? `${m[1] ?? 'CP'}${m[2]}-${m[3]}` : s;
}

export function createCaseLookup(deps: Pick<CasesDeps, 'db' | 'clock' | 'crypto' | 'settings'>) {
  const { db, clock, crypto, settings } = deps;

  return {
    /** The status link of a real-name 差评 case, or NotFound; TooMany after the day's wrong tries. */
    async lookup(input: { caseNo: string; phoneLast4: string; ip: string }): Promise<{ statusUrl: string }> {
      const caseNo = normalizeCaseNo(input.caseNo);
      const key = `case-lookup:${caseNo}`;
      const now = clock.now();
      const audit = (tx: Parameters<typeof insertAudit>[0], result: string, caseId?: number) =>
        insertAudit(tx, {
          at: now,
          userId: null,
          action: 'case.lookup',
          targetType: 'case',
          targetId: caseId === undefined ? null : String(caseId),
          detail: { caseNo, result, network: crypto.hashId('net', input.ip) },
        });
      // Counted before it is judged (one statement), so tries sent at once cannot all slip under the limit.
      const tries = await db.transaction((tx) => countTry(tx, key, now, DAY_MS));
      if (tries > LOOKUP_TRIES_PER_DAY) {
        await db.transaction((tx) => audit(tx, 'refused'));
        const { hotline } = settings.get().citizen;
        throw new TooMany(`该受理编号今天查询错误次数过多，请明天再试${hotline ? `，或拨打 ${hotline} 咨询` : ''}。`, 'LookupLimit');
      }
      const found = await q.findCaseForLookup(db, caseNo);
      const right = found?.phoneEnc != null && lastFour(crypto.decryptPhone, found.phoneEnc) === input.phoneLast4;
      if (!found || !right) {
        await db.transaction((tx) => audit(tx, found ? (found.phoneEnc ? 'mismatch' : 'no_phone') : 'unknown', found?.id));
        throw new NotFound(NOT_FOUND, 'CaseNotFound');
      }
      await db.transaction(async (tx) => {
        await giveBackTry(tx, key);
        await audit(tx, 'found', found.id);
      });
      return { statusUrl: `/s/${found.statusToken}` };
    },
  };
}

function lastFour(decrypt: (blob: string) => string, blob: string): string | null {
  try {
    return decrypt(blob).slice(-4);
  } catch {
    // Undecryptable (key rotated?): no match, like a wrong number.
    return null;
  }
}
