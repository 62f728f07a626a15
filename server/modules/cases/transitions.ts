// Applying one move of the workflow table inside the caller's transaction: the checks in the order
// the contract answers them (409 illegal from this status, 403 role, 400 fields), then the case row,
// its immutable timeline event, the rollups, and for an approved appeal the recorded exclusion.
import type { Tx } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/cases.js';
import { CLASSIFICATION_LABELS, ROLE_LABELS } from '../../../shared/domain.js';
import { BadRequest, Conflict, Forbidden } from '../../errors.js';
import { redactPhones } from '../../lib/redact.js';
import type { Actor } from '../auth/actor.js';
import type { CasesDeps } from './cases.service.js';
import { ANONYMOUS_CONTACT, type CaseState, findMove, type Move, type MoveField, type MoveInput, statusLabel } from './workflow.js';

/** Who moves the case and when, with the modules a move writes to besides the case (rollups, the rating). */
export type MoveContext = Pick<CasesDeps, 'stats' | 'ratings' | 'report'> & { now: number; actor: Actor };

const FIELD_NAMES: Record<MoveField, string> = {
  note: '说明',
  classification: '核实定性',
  satisfaction: '满意度',
  genuine: '评价是否属实',
  handling: '分类',
};

function provided(input: MoveInput, f: MoveField): boolean {
  return f === 'note' ? (input.note ?? '').trim() !== '' : input[f] !== undefined;
}

function checkFields(move: Move, state: CaseState, input: MoveInput): void {
  const required = move.requires(state);
  for (const f of ['classification', 'satisfaction', 'genuine', 'handling', 'note'] as const) {
    if (provided(input, f) && !move.accepts.includes(f)) {
      throw new BadRequest(`「${move.action}」不接受字段 ${f}（${FIELD_NAMES[f]}）`, 'UnexpectedField');
    }
    if (required.includes(f) && !provided(input, f)) {
      const name = f === 'note' ? move.noteLabel(state) : FIELD_NAMES[f];
      throw new BadRequest(`「${move.action}」需要填写${name}（${f}）`, 'MissingField');
    }
  }
}

/** `state` is the case's as the workflow sees it (stateOf: with its coordinating parts still missing). */
export async function applyMove(tx: Tx, ctx: MoveContext, before: q.CaseRow, state: CaseState, input: MoveInput): Promise<q.CaseRow> {
  const { stats, now, actor } = ctx;
  const move = findMove(state, input.to);
  if (!move) {
    throw new Conflict(
      `案件当前为「${statusLabel(before.kind, before.status)}」，不能转为「${statusLabel(before.kind, input.to)}」`,
      'IllegalTransition',
    );
  }
  if (move.when && !move.when(state)) throw new Conflict(move.whyNot ?? '当前不能执行此操作', 'IllegalTransition');
  if (!move.roles.includes(actor.role)) throw new Forbidden(`${ROLE_LABELS[actor.role]}不能执行「${move.action}」`);
  checkFields(move, state, input);

  // Stored masked like the comment (docs/domain.md): a number in a note would outlive the erasure.
  const note = redactPhones(input.note?.trim() ?? '') || null;
  const patch: Partial<q.CaseRow> = { status: move.to, updatedAt: now };
  if (move.to === 'visited') patch.visitedAt = now;
  if (move.to === 'rectified') patch.rectifiedAt = now;
  if (move.to === 'answered') patch.answeredAt = now;
  if (move.to === 'closed') patch.closedAt = now;
  if (input.classification) patch.classification = input.classification;
  if (input.satisfaction) patch.satisfaction = input.satisfaction;
  if (input.genuine !== undefined) patch.genuine = input.genuine;
  if (input.handling) patch.handling = input.handling;
  // 督办: the case rises to the supervisor at once (it is no longer escalated again when overdue).
  if (move.effect === 'supervise') patch.escalatedAt = before.escalatedAt ?? now;
  const data: Record<string, unknown> = {};
  if (input.classification) data.classification = input.classification;
  if (input.satisfaction) data.satisfaction = input.satisfaction;
  if (input.genuine !== undefined) data.genuine = input.genuine;
  if (input.handling) data.handling = input.handling;
  if (move.kind === 'bad_rating' && move.to === 'visited') data.contact = before.anonymous ? ANONYMOUS_CONTACT : '电话回访';
  if (move.effect === 'reject_appeal') {
    // A rejected appeal makes the 差评 valid: it is rectified like any other.
    patch.classification = 'valid';
    data.classification = 'valid';
    data.reason = `申诉未获批准（原定性：${before.classification ? CLASSIFICATION_LABELS[before.classification] : '无'}）`;
  }
  if (move.effect === 'reopen') {
    patch.reopenCount = before.reopenCount + 1;
    // The earlier answer stays on the timeline; the case counts as answered again when re-answered.
    patch.satisfaction = null;
    if (before.classification !== 'valid') {
      // Escalated into 整改 after an explanation the citizen did not accept: now a valid 差评.
      patch.classification = 'valid';
      data.classification = 'valid';
      data.reason = `群众不满意，重新整改（原定性：${before.classification ? CLASSIFICATION_LABELS[before.classification] : '无'}）`;
    }
  }
  if (move.publicLabel) data.publicLabel = move.publicLabel;
  if (move.notePublic) data.notePublic = true;

  const after = await q.updateCase(tx, before.id, patch);
  await q.insertCaseEvent(tx, {
    caseId: before.id,
    type: move.event,
    fromStatus: before.status,
    toStatus: move.to,
    at: now,
    byUserId: actor.id,
    note,
    data,
    public: move.publicLabel != null,
  });
  await stats.recordCaseChange(tx, before, after);
  if (move.effect === 'approve_appeal') await excludeRating(tx, ctx, after, note);
  if (after.kind === 'bad_rating' && after.status === 'closed' && after.closedAt !== null && after.ratingId !== null) {
    await ctx.report.enqueueCaseResult(tx, { caseId: after.id, ratingId: after.ratingId, closedAt: after.closedAt });
  }
  return after;
}

/** An approved appeal: the rating leaves the statistics by a recorded, audited decision (never deleted). */
async function excludeRating(tx: Tx, ctx: MoveContext, c: q.CaseRow, note: string | null): Promise<void> {
  const label = c.classification ? CLASSIFICATION_LABELS[c.classification] : '申诉';
  if (c.ratingId === null) return;
  const { alreadyExcluded } = await ctx.ratings.exclude(tx, c.ratingId, {
    reason: `申诉复核通过：${label}${note ? `。${note}` : ''}`,
    caseId: c.id,
    decidedBy: ctx.actor.id,
    decidedAt: ctx.now,
  });
  await insertAudit(tx, {
    at: ctx.now,
    userId: ctx.actor.id,
    action: 'rating.exclude',
    targetType: 'rating',
    targetId: String(c.ratingId),
    detail: { caseId: c.id, caseNo: c.caseNo, classification: c.classification, alreadyExcluded },
  });
}
