// 投诉 (docs/domain.md 4.8): complaints received by 投诉电话, 12345, 意见箱·信箱 or 来信来访, entered by staff
// (POST /api/cases/complaints) or pushed by the 12345 system with an integration key (POST /api/work-orders),
// open a case of kind `complaint` in the same workflow table. A work order's number is kept: one case per
// number and channel (a unique index), so a second entry is refused (staff: 409) or answered with the same
// case (the integration's replay: 200).
import { isUniqueViolation } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/cases.js';
import type { ComplaintFigures, ComplaintInput, WorkOrderInput } from '../../../shared/api/cases.js';
import { addDays, chinaDay } from '../../../shared/china-time.js';
import {
  COMPLAINT_CHANNEL_LABELS,
  COMPLAINT_CHANNELS,
  type ComplaintChannel,
  MOBILE_PATTERN,
  normalizePhone,
  ORDER_NO_PATTERN,
} from '../../../shared/domain.js';
import { BadRequest, Conflict, Forbidden } from '../../errors.js';
import { redactPhones } from '../../lib/redact.js';
import type { Actor } from '../auth/actor.js';
import { auditUserOf, type Caller } from '../integrations/caller.js';
import type { CasesDeps } from './cases.service.js';
import type { OpenCaseOfKind } from './open-case.js';

interface Opened {
  created: boolean;
  id: number;
  caseNo: string;
  statusUrl: string;
}

interface Fields {
  channel: ComplaintChannel;
  departmentId: number;
  code?: string | undefined;
  subject?: string | undefined;
  description: string;
  phone?: string | undefined;
  /** Staff record the citizen's consent; a 12345 order's caller agreed to the call-back when calling. */
  consent: boolean;
  receivedOn: string;
  orderNo?: string | undefined;
}

export function createComplaints(deps: Pick<CasesDeps, 'db' | 'clock' | 'crypto' | 'settings'> & { openCaseOfKind: OpenCaseOfKind }) {
  const { db, clock, crypto, settings, openCaseOfKind } = deps;

  function isRealDay(day: string): boolean {
    const d = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
  }

  /** Every refusal before the first write; the order's duplicate is decided in the transaction. */
  async function open(caller: Caller, f: Fields, replay: boolean): Promise<Opened> {
    const description = redactPhones(f.description.trim());
    if (!description) throw new BadRequest('请填写群众反映的内容（description）', 'MissingDescription');
    const subject = redactPhones(f.subject?.trim() ?? '') || null;
    const orderNo = f.orderNo?.trim() || null;
    if (orderNo !== null && !ORDER_NO_PATTERN.test(orderNo)) {
      throw new BadRequest('工单编号（orderNo）只能由字母、数字和 - _ / 组成，最多 64 位', 'InvalidOrderNo');
    }
    if (f.channel === '12345' && orderNo === null) throw new BadRequest('12345 工单须填写工单编号（orderNo）', 'MissingOrderNo');
    if (!caller.departmentIds.has(f.departmentId)) {
      throw new Forbidden('部门（departmentId）不存在或不在您的管辖范围内', 'DepartmentOutOfScope');
    }
    const today = chinaDay(clock.now());
    const { limits, complaints } = await settings.forDepartment(f.departmentId);
    if (!isRealDay(f.receivedOn)) throw new BadRequest('收到日期不是有效的日期（YYYY-MM-DD）', 'InvalidDate');
    if (f.receivedOn > today) throw new BadRequest('收到日期不能晚于今天', 'FutureDate');
    if (f.receivedOn < addDays(today, -limits.paperMaxAgeDays)) {
      throw new BadRequest(`收到日期不能早于 ${limits.paperMaxAgeDays} 天前`, 'TooOld');
    }
    let codeId: string | null = null;
    const rawCode = f.code?.trim().toUpperCase() ?? '';
    if (rawCode) {
      const code = await q.findCodeForReport(db, rawCode);
      if (!code || code.departmentId !== f.departmentId) {
        throw new BadRequest('窗口（code）不存在或不属于所选部门', 'InvalidCode');
      }
      codeId = code.id;
    }
    let phoneEnc: string | null = null;
    const rawPhone = f.phone?.trim() ?? '';
    if (rawPhone) {
      const phone = normalizePhone(rawPhone);
      if (!MOBILE_PATTERN.test(phone)) throw new BadRequest('手机号（phone）格式不正确，请填写 11 位手机号码', 'InvalidPhone');
      if (!f.consent) throw new BadRequest('留下群众的手机号须确认“群众同意回访”（consent）', 'ConsentRequired');
      phoneEnc = crypto.encryptPhone(phone);
    }
    const _cal = settings.calendar();

    const existing = async (): Promise<Opened | null> => {
      if (orderNo === null) return null;
      const e = await q.findCaseByOrder(db, f.channel, orderNo);
      if (!e) return null;
      if (!replay || !caller.departmentIds.has(e.departmentId)) {
        throw new Conflict(`该工单（${orderNo}）已录入，案件编号 ${e.caseNo}`, 'DuplicateOrder');
      }
      return { created: false, id: e.id, caseNo: e.caseNo, statusUrl: `/s/${e.statusToken}` };
    };
    const before = await existing();
    if (before) return before;

    const now = clock.now();
    try {
      const row = await db.transaction(async (tx) => {
        const kase = await openCaseOfKind(tx, {
          kind: 'complaint',
          departmentId: f.departmentId,
          codeId,
          day: f.receivedOn,
          anonymous: phoneEnc === null,
          contactWorkingDays: complaints.verifyWorkingDays,
          caseWorkingDays: complaints.caseWorkingDays,
          columns: {
            subject,
            description,
            phoneEnc,
            channel: f.channel,
            orderNo,
            enteredBy: caller.kind === 'staff' ? caller.actor.id : null,
          },
          openedBy: caller.kind === 'staff' ? caller.actor.id : null,
          note: `${COMPLAINT_CHANNEL_LABELS[f.channel]}${orderNo ? `（工单编号 ${orderNo}）` : ''}，${f.receivedOn} 收到`,
        });
        await insertAudit(tx, {
          at: now,
          userId: auditUserOf(caller),
          action: caller.kind === 'staff' ? 'case.complaint' : 'case.work_order',
          targetType: 'case',
          targetId: String(kase.id),
          detail: {
            caseNo: kase.caseNo,
            channel: f.channel,
            orderNo,
            departmentId: f.departmentId,
            phone: phoneEnc !== null,
            ...(caller.kind === 'integration' ? { integrationId: caller.integration.id, integrationName: caller.integration.name } : {}),
          },
        });
        return kase;
      });
      return { created: true, id: row.id, caseNo: row.caseNo, statusUrl: `/s/${row.statusToken}` };
    } catch (err) {
      // Two entries of one order at once (PostgreSQL, several instances): the unique index let one in.
      if (isUniqueViolation(err)) {
        const after = await existing();
        if (after) return after;
      }
      throw err;
    }
  }

  return {
    /** POST /api/cases/complaints: a staff member enters a complaint (its channel, the day received). */
    async enter(actor: Actor, input: ComplaintInput): Promise<Opened> {
      return open({ kind: 'staff', actor, departmentIds: actor.departmentIds }, { ...input, consent: input.consent === true }, false);
    },

    /** POST /api/work-orders: a 12345 work order; the same order again answers with its case (created: false). */
    async workOrder(caller: Caller, input: WorkOrderInput): Promise<Opened> {
      return open(
        caller,
        {
          channel: '12345',
          departmentId: input.departmentId,
          code: input.code,
          subject: input.subject,
          description: input.description,
          phone: input.phone,
          consent: true,
          receivedOn: input.receivedAt,
          orderNo: input.orderNo,
        },
        true,
      );
    },

    /** GET /api/stats/complaints: the period defaults to this month so far; by channel and by department. */
    async figures(actor: Actor, query: { from?: string; to?: string }): Promise<ComplaintFigures> {
      const to = query.to ?? chinaDay(clock.now());
      const from = query.from ?? `${to.slice(0, 8)}01`;
      if (from > to) throw new BadRequest('开始日期（from）不能晚于结束日期（to）', 'InvalidRange');
      const rows = await q.complaintFigures(db, [...actor.departmentIds], from, to);
      type Sum = { complaints: number; closed: number; onTime: number; satisfied: number };
      const sum = (list: Sum[]) => {
        const s: Sum = { complaints: 0, closed: 0, onTime: 0, satisfied: 0 };
        for (const r of list) {
          s.complaints += Number(r.complaints);
          s.closed += Number(r.closed);
          s.onTime += Number(r.onTime);
          s.satisfied += Number(r.satisfied);
        }
        return { ...s, onTimeRate: s.closed === 0 ? null : s.onTime / s.closed };
      };
      const byDept = new Map<number, q.ComplaintFigureRow[]>();
      for (const r of rows) byDept.set(r.departmentId, [...(byDept.get(r.departmentId) ?? []), r]);
      return {
        from,
        to,
        total: sum(rows),
        channels: COMPLAINT_CHANNELS.map((channel) => ({
          channel,
          channelLabel: COMPLAINT_CHANNEL_LABELS[channel],
          ...sum(rows.filter((r) => r.channel === channel)),
        })),
        departments: [...byDept.values()].map((l) => ({
          departmentId: l[0]!.departmentId,
          departmentName: l[0]!.departmentName,
          ...sum(l),
        })),
      };
    },
  };
}
