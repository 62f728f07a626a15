// 金点子 (docs/domain.md, 金点子): a citizen or an enterprise submits a suggestion about a department
// (from a window's code, a guide or the public page); staff in scope answer each one (采纳 / 部分采纳 /
// 暂不采纳, with the reason, and what was done for the first two); the answers are published without
// personal data. Every answer, an amended one too, is written to the audit log with the one it replaced.
import type { Db } from '../../../db/client.js';
import { insertAudit, insertErasureAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/suggestions.js';
import type {
  AnswerInput,
  PublicSuggestionsT,
  StaffSuggestionListT,
  StaffSuggestionT,
  SuggestionFiguresT,
  SuggestionInput,
  SuggestionPeriodFiguresT,
} from '../../../shared/api/suggestions.js';
import { CHINA_OFFSET_MS, chinaDay, dayNumber, MS_PER_DAY } from '../../../shared/china-time.js';
import { MOBILE_PATTERN, maskPhone, normalizePhone, type SuggestionCategory } from '../../../shared/domain.js';
import { BadRequest, Gone, NotFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { DataCrypto } from '../../lib/crypto.js';
import { redactPhones } from '../../lib/redact.js';
import type { Actor } from '../auth/actor.js';
import type { SettingsService } from '../settings/settings.service.js';

const ERASE_BATCH = 500;

/** The number a citizen keeps: JY and the id on six digits (JY000123). */
export const suggestionNo = (id: number) => `JY${String(id).padStart(6, '0')}`;

/** A contact as staff see it: a phone 138****8000, a name 张**. */
function maskContact(contact: string): string {
  if (MOBILE_PATTERN.test(contact)) return maskPhone(contact) ?? '';
  const redacted = redactPhones(contact);
  if (redacted !== contact) return redacted;
  const chars = [...contact];
  return `${chars[0] ?? ''}${'*'.repeat(Math.min(Math.max(chars.length - 1, 1), 3))}`;
}

const rate = (c: { answered: number; adopted: number; partial: number }) =>
  c.answered === 0 ? null : (c.adopted + c.partial) / c.answered;

export function createSuggestionsService(deps: { db: Db; clock: Clock; crypto: DataCrypto; settings: Pick<SettingsService, 'get'> }) {
  const { db, clock, crypto, settings } = deps;

  /** A suggestion in the actor's scope (another department's is as if missing). */
  async function scoped(actor: Actor, id: number): Promise<q.SuggestionWithNames> {
    const row = await q.findSuggestion(db, id);
    if (!row || !actor.departmentIds.has(row.departmentId)) throw new NotFound('建议不存在', 'SuggestionNotFound');
    return row;
  }

  function staffView(row: q.SuggestionWithNames): StaffSuggestionT {
    let contactMasked: string | null = null;
    if (row.contactErasedAt != null) contactMasked = '已删除';
    else if (row.contactEnc) contactMasked = maskContact(crypto.decryptPhone(row.contactEnc));
    return {
      id: row.id,
      suggestionNo: suggestionNo(row.id),
      departmentId: row.departmentId,
      departmentName: row.departmentName,
      codeId: row.codeId,
      category: row.category,
      title: row.title,
      content: row.content,
      submitterType: row.submitterType,
      contactMasked,
      createdAt: row.createdAt,
      decision: row.decision,
      reason: row.reason,
      action: row.action,
      answeredAt: row.answeredAt,
      // The demo county's answers were given by no user: 系统, as a guide's first version.
      answeredByName: row.answeredAt === null ? null : (row.answeredByName ?? '系统'),
      answerCount: row.answerCount,
    };
  }

  async function figures(departmentId?: number): Promise<SuggestionFiguresT> {
    const rows = await q.countsByDepartment(db, departmentId);
    const sum = { total: 0, answered: 0, adopted: 0, partial: 0, declined: 0 };
    for (const r of rows) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k];
    return {
      ...sum,
      adoptionRate: rate(sum),
      submitterTypes: await q.countsBySubmitterType(db, departmentId),
      departments: rows.map((r) => ({ ...r, adoptionRate: rate(r) })),
    };
  }

  return {
    /** POST /api/public/suggestions: cleaned, phones in the text masked, the contact kept only with consent, encrypted. */
    async submit(input: SuggestionInput): Promise<{ suggestionNo: string }> {
      const title = redactPhones(input.title.trim());
      if (!title) throw new BadRequest('请填写标题（title）', 'MissingTitle');
      const content = redactPhones(input.content.trim());
      if (!content) throw new BadRequest('请填写建议内容（content）', 'MissingContent');
      let contactEnc: string | null = null;
      const rawContact = input.contact?.trim() ?? '';
      if (rawContact) {
        const phone = normalizePhone(rawContact);
        const digitsOnly = /^[0-9+]+$/.test(phone);
        if (digitsOnly && !MOBILE_PATTERN.test(phone)) {
          throw new BadRequest('联系方式（contact）中的手机号格式不正确，请填写 11 位手机号码或姓名', 'InvalidContact');
        }
        if (input.consent !== true) throw new BadRequest('留下联系方式（contact）需同意工作人员用它联系您（consent）', 'ConsentRequired');
        contactEnc = crypto.encryptPhone(digitsOnly ? phone : rawContact);
      }
      let departmentId: number;
      let codeId: string | null = null;
      if (input.code !== undefined) {
        const code = await q.codeForSuggestion(db, input.code.trim().toUpperCase());
        if (!code) throw new NotFound('评议码（code）不存在，请核对后重试', 'CodeNotFound');
        if (!code.active) throw new Gone('该评议码已停用，请在公示页选择部门提出建议', 'CodeDisabled');
        departmentId = code.departmentId;
        codeId = code.id;
      } else if (input.departmentId !== undefined) {
        if (!(await q.activeDepartment(db, input.departmentId))) throw new BadRequest('部门（departmentId）不存在', 'UnknownDepartment');
        departmentId = input.departmentId;
      } else {
        throw new BadRequest('请选择建议涉及的部门（departmentId）', 'MissingDepartment');
      }
      const now = clock.now();
      const id = await db.transaction(async (tx) =>
        q.insertSuggestion(tx, {
          departmentId,
          codeId,
          category: input.category,
          title,
          content,
          submitterType: input.submitterType,
          contactEnc,
          createdAt: now,
        }),
      );
      return { suggestionNo: suggestionNo(id) };
    },

    /** Staff's list (GET /api/suggestions), in the actor's scope, newest first. */
    async list(
      actor: Actor,
      f: { status?: 'pending' | 'answered'; departmentId?: number; category?: SuggestionCategory; limit?: number; offset?: number },
    ): Promise<StaffSuggestionListT> {
      const departmentIds =
        f.departmentId === undefined ? [...actor.departmentIds] : actor.departmentIds.has(f.departmentId) ? [f.departmentId] : [];
      const filter = { departmentIds, status: f.status, category: f.category };
      const [total, rows] = [
        await q.countSuggestions(db, filter),
        await q.listSuggestions(db, filter, { limit: f.limit ?? 50, offset: f.offset ?? 0 }),
      ];
      return { total, suggestions: rows.map(staffView) };
    },

    async get(actor: Actor, id: number): Promise<StaffSuggestionT> {
      return staffView(await scoped(actor, id));
    },

    /** 采纳 / 部分采纳 / 暂不采纳, or an amended answer: audited with the answer it replaces. */
    async answer(actor: Actor, id: number, input: AnswerInput): Promise<StaffSuggestionT> {
      const before = await scoped(actor, id);
      const reason = redactPhones(input.reason.trim());
      if (!reason) throw new BadRequest('请填写答复理由（reason）', 'MissingReason');
      const action = redactPhones(input.action?.trim() ?? '') || null;
      if (input.decision !== 'declined' && !action) throw new BadRequest('采纳或部分采纳时请填写采取的措施（action）', 'MissingAction');
      const now = clock.now();
      await db.transaction(async (tx) => {
        await q.answerSuggestion(tx, id, { decision: input.decision, reason, action, answeredAt: now, answeredBy: actor.id });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: before.answeredAt === null ? 'suggestion.answer' : 'suggestion.amend',
          targetType: 'suggestion',
          targetId: String(id),
          detail: {
            before: before.decision === null ? null : { decision: before.decision, reason: before.reason, action: before.action },
            after: { decision: input.decision, reason, action },
          },
        });
      });
      return staffView(await scoped(actor, id));
    },

    /** The full contact (to call back), each view audited. */
    async viewContact(actor: Actor, id: number): Promise<{ contact: string }> {
      const row = await scoped(actor, id);
      if (row.contactErasedAt != null) throw new Gone('该联系方式已按规定删除', 'ContactErased');
      if (!row.contactEnc) throw new NotFound('提出人未留联系方式', 'NoContact');
      const contact = crypto.decryptPhone(row.contactEnc);
      await db.transaction(async (tx) => {
        await insertAudit(tx, {
          at: clock.now(),
          userId: actor.id,
          action: 'suggestion.contact_view',
          targetType: 'suggestion',
          targetId: String(id),
          detail: null,
        });
      });
      return { contact };
    },

    /**
     * GET /api/stats/suggestions: the 金点子 submitted in a period (China days; the month so far by
     * default) per department of the actor's scope, with their answers and 采纳率.
     */
    async periodFigures(actor: Actor, query: { from?: string; to?: string }): Promise<SuggestionPeriodFiguresT> {
      const to = query.to ?? chinaDay(clock.now());
      const from = query.from ?? `${to.slice(0, 8)}01`;
      const f = dayNumber(from);
      const t = dayNumber(to);
      if (f === null || t === null) throw new BadRequest('日期（from、to）不是有效日期', 'InvalidRange');
      if (f > t) throw new BadRequest('开始日期（from）不能晚于结束日期（to）', 'InvalidRange');
      const start = (day: number) => day * MS_PER_DAY - CHINA_OFFSET_MS;
      const rows = await q.countsByDepartmentIn(db, [...actor.departmentIds], start(f), start(t + 1));
      const sum = { total: 0, answered: 0, adopted: 0, partial: 0, declined: 0 };
      for (const r of rows) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k];
      return { from, to, ...sum, adoptionRate: rate(sum), departments: rows.map((r) => ({ ...r, adoptionRate: rate(r) })) };
    },

    /** GET /api/public/suggestions: the answers (no contact, no submitter) and the figures. */
    async publicList(f: { departmentId?: number; limit?: number; offset?: number }): Promise<PublicSuggestionsT> {
      const fig = await figures(f.departmentId);
      const rows = await q.listAnswered(db, { departmentId: f.departmentId, limit: f.limit ?? 20, offset: f.offset ?? 0 });
      return {
        total: fig.answered,
        suggestions: rows.map((r) => ({
          suggestionNo: suggestionNo(r.id),
          title: r.title,
          category: r.category,
          departmentName: r.departmentName,
          decision: r.decision,
          reason: r.reason,
          action: r.action,
          submittedDay: chinaDay(r.createdAt),
          answeredDay: chinaDay(r.answeredAt),
        })),
        figures: fig,
        departments: await q.listPublicDepartments(db),
      };
    },

    /**
     * The /i/ page's window: its code, department and place (null when unknown or disabled); without
     * a code, the departments the form lists.
     */
    async pageWindow(raw: string) {
      const found = await q.codeWithNames(db, raw.trim().toUpperCase());
      return found?.active ? found : null;
    },
    async formDepartments(): Promise<{ id: number; name: string }[]> {
      return (await q.listPublicDepartments(db)).map(({ id, name }) => ({ id, name }));
    },

    /** The per-network limit of the submit route (settings limits.networkPerMinute, as the rating routes). */
    networkPerMinute: () => settings.get().limits.networkPerMinute,

    /** The erasure job: contacts of suggestions answered more than `privacy.phoneRetentionDays` ago. */
    async eraseContacts(): Promise<{ erased: number }> {
      const now = clock.now();
      const days = settings.get().privacy.phoneRetentionDays;
      const cutoff = now - days * MS_PER_DAY;
      let erased = 0;
      for (;;) {
        const n = await db.transaction(async (tx) => {
          const ids = await q.contactsToErase(tx, cutoff, ERASE_BATCH);
          if (!ids.length) return 0;
          await q.eraseContacts(tx, ids, now);
          await insertErasureAudit(tx, {
            at: now,
            action: 'suggestion.contact_erase',
            targetType: 'suggestion',
            idsKey: 'suggestionIds',
            ids,
            retentionDays: days,
            cutoff,
          });
          return ids.length;
        });
        erased += n;
        if (n < ERASE_BATCH) return { erased };
      }
    },
  };
}

export type SuggestionsService = ReturnType<typeof createSuggestionsService>;
