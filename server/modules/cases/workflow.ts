// The case workflow of 差评必查 / 好评抽查 / 办不成事 / 投诉 in ONE table (docs/api.md, Cases): every allowed move, who
// may make it, which fields it needs, and what the citizen sees of it. Everything else (routes, the
// staff page's buttons, the citizen's status page) is derived from this table.

import type { AllowedMove, FieldSpec, TransitionBodyT } from '../../../shared/api/cases.js';
import {
  CASE_KINDS,
  CASE_STATUS_LABELS,
  type CaseKind,
  type CaseStatus,
  CLASSIFICATION_LABELS,
  CLASSIFICATIONS,
  type Classification,
  HANDLING_LABELS,
  HANDLINGS,
  type Handling,
  type Role,
  SATISFACTION_LABELS,
  SATISFACTIONS,
  type Satisfaction,
  UNCLOSED_CASE_STATUSES,
  type WaitingOn,
} from '../../../shared/domain.js';

export type MoveField = FieldSpec['name'];

/** A requested move: the body of POST /api/cases/{id}/transitions. */
export type MoveInput = TransitionBodyT;

/** What a move's guard and field rules look at. */
export interface CaseState {
  kind: CaseKind;
  status: CaseStatus;
  anonymous: boolean;
  classification: Classification | null;
  satisfaction: Satisfaction | null;
  reopenCount: number;
  /** 办不成事: 不能办 / 不好办 / 不给办. */
  handling: Handling | null;
  /** 不好办: coordinating departments that have not recorded their part yet. */
  partsPending: number;
}

export function stateOf(c: Omit<CaseState, 'partsPending'>, partsPending = 0): CaseState {
  return {
    kind: c.kind,
    status: c.status,
    anonymous: c.anonymous,
    classification: c.classification,
    satisfaction: c.satisfaction,
    reopenCount: c.reopenCount,
    handling: c.handling,
    partsPending,
  };
}

/** Side effects beyond status, timestamps and the submitted fields. */
export type MoveEffect = 'approve_appeal' | 'reject_appeal' | 'reopen' | 'supervise';

export interface Move {
  kind: CaseKind;
  from: CaseStatus;
  to: CaseStatus;
  /** Event type written to the timeline. */
  event: string;
  /** The action's name on the staff page's button. */
  action: string;
  /** Roles that may make the move (always within their scope: 404 outside it). */
  roles: readonly Role[];
  /** Fields the move needs; the anonymous visit also needs the internal verification note. */
  requires: (c: CaseState) => readonly MoveField[];
  /** Fields the move accepts (a superset of `requires`); any other field is a 400. */
  accepts: readonly MoveField[];
  /** When the move is possible from this status at all (otherwise 409), and why not. */
  when?: (c: CaseState) => boolean;
  whyNot?: string;
  noteLabel: (c: CaseState) => string;
  /** Label on the citizen's status page; null = the citizen does not see this step. */
  publicLabel: string | null;
  /** Whether the note is addressed to the citizen (整改措施, 解释说明) and shown to them. */
  notePublic?: boolean;
  effect?: MoveEffect;
}

const only =
  (...fields: MoveField[]) =>
  () =>
    fields;
const label = (s: string) => () => s;
/** The fields of a move that takes a note and nothing else: optional, or (`required`) needed. */
const noteOnly = (noteLabel: string, required = false) => ({
  requires: required ? only('note') : only(),
  accepts: ['note'] as const,
  noteLabel: label(noteLabel),
});

/** 匿名差评: the contact step is recorded as this, plus the department's own verification. */
export const ANONYMOUS_CONTACT = '匿名，无法回访';

// Supervisors run return visits, decide appeals and close; department heads rectify and appeal (only
// they may appeal: it is the department's claim). Administrators manage the platform and do not work
// cases (they may assign officers).
export const MOVES: readonly Move[] = [
  {
    kind: 'bad_rating',
    from: 'open',
    to: 'visited',
    event: 'visited',
    action: '记录回访',
    roles: ['supervisor', 'dept_head'],
    requires: (c) => (c.anonymous ? ['classification', 'note'] : ['classification']),
    accepts: ['classification', 'note'],
    noteLabel: (c) => (c.anonymous ? '内部核实情况' : '回访情况'),
    publicLabel: '已回访核实',
  },
  {
    kind: 'bad_rating',
    from: 'visited',
    to: 'rectifying',
    event: 'rectifying',
    action: '开始整改',
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('整改安排'),
    when: (c) => c.classification === 'valid',
    whyNot: '只有定性为有效差评的案件才能转入整改',
    publicLabel: '整改中',
  },
  {
    kind: 'bad_rating',
    from: 'visited',
    to: 'appealed',
    event: 'appealed',
    action: '提出申诉',
    roles: ['dept_head'],
    ...noteOnly('申诉理由', true),
    when: (c) => c.classification === 'mistaken' || c.classification === 'malicious',
    whyNot: '只有定性为误评或恶意差评的案件才能申诉',
    publicLabel: '部门申请复核',
  },
  {
    kind: 'bad_rating',
    from: 'visited',
    to: 'answered',
    event: 'explained',
    action: '解释说明',
    roles: ['dept_head', 'supervisor'],
    requires: only('note'),
    accepts: ['note', 'satisfaction'],
    when: (c) => c.classification === 'no_basis',
    whyNot: '只有定性为无法律依据的诉求才能直接解释说明',
    noteLabel: label('向群众的解释说明'),
    publicLabel: '已解释说明',
    notePublic: true,
  },
  {
    kind: 'bad_rating',
    from: 'appealed',
    to: 'closed',
    event: 'appeal_approved',
    action: '批准申诉',
    roles: ['supervisor'],
    ...noteOnly('复核意见'),
    publicLabel: '经复核，该评价不计入统计，案件办结',
    effect: 'approve_appeal',
  },
  {
    kind: 'bad_rating',
    from: 'appealed',
    to: 'rectifying',
    event: 'appeal_rejected',
    action: '驳回申诉',
    roles: ['supervisor'],
    ...noteOnly('驳回理由'),
    publicLabel: '经复核，转入整改',
    effect: 'reject_appeal',
  },
  {
    kind: 'bad_rating',
    from: 'rectifying',
    to: 'rectified',
    event: 'rectified',
    action: '提交整改措施',
    // The department rectifies; a supervisor may record the measures the department reports.
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('整改措施', true),
    publicLabel: '已整改',
    notePublic: true,
  },
  {
    kind: 'bad_rating',
    from: 'rectified',
    to: 'answered',
    event: 'answered',
    action: '记录反馈',
    roles: ['supervisor', 'dept_head'],
    requires: only('satisfaction'),
    accepts: ['satisfaction', 'note'],
    noteLabel: label('反馈情况'),
    publicLabel: '已反馈',
  },
  {
    kind: 'bad_rating',
    from: 'answered',
    to: 'closed',
    event: 'closed',
    action: '办结',
    roles: ['supervisor'],
    ...noteOnly('办结意见'),
    publicLabel: '办结',
  },
  {
    kind: 'bad_rating',
    from: 'answered',
    to: 'rectifying',
    event: 'reopened',
    action: '重新整改',
    roles: ['supervisor'],
    ...noteOnly('重新整改原因'),
    // docs/domain.md: 不满意 may reopen the case once for escalation.
    when: (c) => c.satisfaction === 'unsatisfied' && c.reopenCount < 1,
    whyNot: '只有群众不满意的案件才能重新整改，且只能重新整改一次',
    publicLabel: '群众不满意，重新整改',
    effect: 'reopen',
  },
  // 办不成事 (docs/domain.md): classified 不能办 (explained), 不好办 (coordinated with other departments,
  // each recording its part) or 不给办 (督办: escalated, the supervisor follows it); then the result
  // the citizen sees, and the close with the citizen's satisfaction.
  {
    kind: 'cannot_handle',
    from: 'open',
    to: 'visited',
    event: 'classified',
    action: '分类处理',
    roles: ['supervisor', 'dept_head'],
    requires: only('handling'),
    accepts: ['handling', 'note'],
    noteLabel: label('核实情况'),
    publicLabel: '已核实，正在处理',
  },
  {
    kind: 'cannot_handle',
    from: 'visited',
    to: 'rectified',
    event: 'explained',
    action: '解释说明',
    roles: ['dept_head', 'supervisor'],
    requires: only('note'),
    accepts: ['note'],
    when: (c) => c.handling === 'cannot',
    whyNot: '只有分类为不能办的反映才能直接解释说明',
    noteLabel: label('向群众的解释说明（为什么不能办、可以怎么办）'),
    publicLabel: '已解释说明',
    notePublic: true,
  },
  {
    kind: 'cannot_handle',
    from: 'visited',
    to: 'rectifying',
    event: 'coordinating',
    action: '开始协调办理',
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('协调安排'),
    when: (c) => c.handling === 'hard',
    whyNot: '只有分类为不好办的反映才能协调办理',
    publicLabel: '多部门协调办理中',
  },
  {
    kind: 'cannot_handle',
    from: 'visited',
    to: 'rectifying',
    event: 'supervised',
    action: '督办',
    roles: ['supervisor'],
    ...noteOnly('督办意见'),
    when: (c) => c.handling === 'refused',
    whyNot: '只有分类为不给办的反映才能督办',
    publicLabel: '已督办，正在办理',
    effect: 'supervise',
  },
  {
    kind: 'cannot_handle',
    from: 'rectifying',
    to: 'rectified',
    event: 'resolved',
    action: '记录办理结果',
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('办理结果', true),
    when: (c) => c.partsPending === 0,
    whyNot: '还有协办部门未记录办理情况',
    publicLabel: '已办理',
    notePublic: true,
  },
  {
    kind: 'cannot_handle',
    from: 'rectified',
    to: 'closed',
    event: 'closed',
    action: '记录群众评价并办结',
    roles: ['supervisor', 'dept_head'],
    requires: only('satisfaction'),
    accepts: ['satisfaction', 'note'],
    noteLabel: label('群众反馈情况'),
    publicLabel: '办结',
  },
  // 投诉 (docs/domain.md 4.8: 投诉电话, 12345, 信箱, 来信来访, entered by staff): 核实, then 整改 or 说明,
  // 回访 with the citizen's satisfaction, 办结 by the supervisor.
  {
    kind: 'complaint',
    from: 'open',
    to: 'visited',
    event: 'verified',
    action: '核实',
    roles: ['supervisor', 'dept_head'],
    ...noteOnly('核实情况', true),
    publicLabel: '已核实，正在处理',
  },
  {
    kind: 'complaint',
    from: 'visited',
    to: 'rectifying',
    event: 'rectifying',
    action: '开始整改',
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('整改安排'),
    publicLabel: '整改中',
  },
  {
    kind: 'complaint',
    from: 'visited',
    to: 'rectified',
    event: 'explained',
    action: '解释说明',
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('向群众的解释说明', true),
    publicLabel: '已解释说明',
    notePublic: true,
  },
  {
    kind: 'complaint',
    from: 'rectifying',
    to: 'rectified',
    event: 'rectified',
    action: '提交整改措施',
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('整改措施', true),
    publicLabel: '已整改',
    notePublic: true,
  },
  {
    kind: 'complaint',
    from: 'rectified',
    to: 'answered',
    event: 'answered',
    action: '记录回访',
    roles: ['supervisor', 'dept_head'],
    requires: only('satisfaction'),
    accepts: ['satisfaction', 'note'],
    noteLabel: label('回访情况'),
    publicLabel: '已回访',
  },
  {
    kind: 'complaint',
    from: 'answered',
    to: 'closed',
    event: 'closed',
    action: '办结',
    roles: ['supervisor'],
    ...noteOnly('办结意见'),
    publicLabel: '办结',
  },
  {
    kind: 'spot_check',
    from: 'open',
    to: 'visited',
    event: 'visited',
    action: '记录回访',
    roles: ['supervisor'],
    requires: only('genuine'),
    accepts: ['genuine', 'note'],
    noteLabel: label('回访情况'),
    publicLabel: null,
  },
  {
    kind: 'spot_check',
    from: 'visited',
    to: 'closed',
    event: 'closed',
    action: '办结',
    roles: ['supervisor'],
    ...noteOnly('办结意见'),
    publicLabel: null,
  },
  // 监督报告 (特邀监督员, 一把手走流程; docs/domain.md 4.9): the department's head answers what was seen
  // (说明 or 整改, addressed to the observer, who reads it on their report), a supervisor closes it or
  // sends it back for a better answer.
  {
    kind: 'observation',
    from: 'open',
    to: 'rectified',
    event: 'responded',
    action: '答复（说明/整改）',
    roles: ['dept_head', 'supervisor'],
    ...noteOnly('说明或整改情况', true),
    publicLabel: '部门已答复',
    notePublic: true,
  },
  {
    kind: 'observation',
    from: 'rectified',
    to: 'closed',
    event: 'closed',
    action: '办结',
    roles: ['supervisor'],
    ...noteOnly('办结意见'),
    publicLabel: '办结',
  },
  {
    kind: 'observation',
    from: 'rectified',
    to: 'open',
    event: 'returned',
    action: '退回重新答复',
    roles: ['supervisor'],
    ...noteOnly('退回理由', true),
    publicLabel: '督查要求部门重新答复',
  },
];

/**
 * The move of the table from the case's status to `to`, ignoring roles: of several (办不成事's 协调 and
 * 督办 both lead to 办理中), the one whose guard lets this case through, else the first (its guard refuses).
 */
export function findMove(c: CaseState, to: CaseStatus): Move | undefined {
  const moves = MOVES.filter((m) => m.kind === c.kind && m.from === c.status && m.to === to);
  return moves.find((m) => !m.when || m.when(c)) ?? moves[0];
}

/** 办不成事's statuses in its own words; the other kinds use CASE_STATUS_LABELS. */
const KIND_STATUS_LABELS: Partial<Record<CaseKind, Partial<Record<CaseStatus, string>>>> = {
  cannot_handle: { open: '待分类', visited: '已分类', rectifying: '办理中', rectified: '已答复待评价', closed: '办结' },
  complaint: {
    open: '待核实',
    visited: '已核实',
    rectifying: '整改中',
    rectified: '已整改/说明待回访',
    answered: '已回访',
    closed: '办结',
  },
  observation: { open: '待答复', rectified: '已答复待办结', closed: '办结' },
};

/** A case's status as staff read it, in its kind's words. */
export function statusLabel(kind: CaseKind, status: CaseStatus): string {
  return KIND_STATUS_LABELS[kind]?.[status] ?? CASE_STATUS_LABELS[status];
}

/** Statuses in which a role has something to do (the "to do" lists). */
export function actionableStatuses(role: Role): { kind: CaseKind; status: CaseStatus }[] {
  const seen = new Set<string>();
  const out: { kind: CaseKind; status: CaseStatus }[] = [];
  for (const m of MOVES) {
    const key = `${m.kind}:${m.from}`;
    if (m.roles.includes(role) && !seen.has(key)) {
      seen.add(key);
      out.push({ kind: m.kind, status: m.from });
    }
  }
  return out;
}

/**
 * Whose move a case waits on (docs/domain.md 4.3): nobody once closed; the department when its head may
 * make a move from this status (the supervisor may make most of these too, but the step is the
 * department's: its 待整改 list, actionableStatuses('dept_head'), is exactly these cases); otherwise the
 * supervisor (申诉复核, 办结 or 重新整改 after the feedback, every step of a spot check).
 */
export function waitingOn(kind: CaseKind, status: CaseStatus): WaitingOn | null {
  if (status === 'closed') return null;
  return MOVES.some((m) => m.kind === kind && m.from === status && m.roles.includes('dept_head')) ? 'department' : 'supervisor';
}

/** The (kind, status) pairs of the unclosed cases that wait on `who`: a case list's filter. */
export function waitingStatuses(who: WaitingOn): { kind: CaseKind; status: CaseStatus }[] {
  const out: { kind: CaseKind; status: CaseStatus }[] = [];
  for (const kind of CASE_KINDS) {
    for (const status of UNCLOSED_CASE_STATUSES) {
      const reachable = MOVES.some((m) => m.kind === kind && m.from === status);
      if (reachable && waitingOn(kind, status) === who) out.push({ kind, status });
    }
  }
  return out;
}

function fieldSpec(m: Move, c: CaseState, name: MoveField): FieldSpec {
  const required = m.requires(c).includes(name);
  switch (name) {
    case 'classification':
      return {
        name,
        type: 'choice',
        required,
        label: '核实定性',
        options: CLASSIFICATIONS.map((v) => ({ value: v, label: CLASSIFICATION_LABELS[v] })),
      };
    case 'satisfaction':
      return {
        name,
        type: 'choice',
        required,
        label: '群众对处理结果的满意度',
        options: SATISFACTIONS.map((v) => ({ value: v, label: SATISFACTION_LABELS[v] })),
      };
    case 'handling':
      return {
        name,
        type: 'choice',
        required,
        label: '分类',
        hint: '不能办：耐心解释；不好办：协调相关部门；不给办：督办直至解决',
        options: HANDLINGS.map((v) => ({ value: v, label: HANDLING_LABELS[v] })),
      };
    case 'genuine':
      return {
        name,
        type: 'boolean',
        required,
        label: '评价是否为本人真实意愿、未受引导',
        options: [
          { value: 'true', label: '属实' },
          { value: 'false', label: '不属实' },
        ],
      };
    case 'note':
      // The citizen's status page shows exactly this (case-views.ts: publicLabel, notePublic).
      return {
        name,
        type: 'text',
        required,
        label: m.noteLabel(c),
        hint: m.notePublic
          ? '群众可见：将显示在群众的进度查询页'
          : m.publicLabel
            ? `仅内部可见：群众只看到“${m.publicLabel}”`
            : '仅内部可见',
      };
  }
}

/** What this role may do next on a case in this state, with the fields each move needs. */
export function allowedMoves(c: CaseState, role: Role): AllowedMove[] {
  return MOVES.filter((m) => m.kind === c.kind && m.from === c.status && m.roles.includes(role) && (!m.when || m.when(c))).map((m) => ({
    to: m.to,
    event: m.event,
    action: m.action,
    // Required fields first, so the form reads top-down.
    fields: [...m.accepts]
      .sort((a, b) => Number(m.requires(c).includes(b)) - Number(m.requires(c).includes(a)))
      .map((f) => fieldSpec(m, c, f)),
  }));
}

/** Staff labels of timeline events (moves and the other events: opening, assignment, escalation…). */
export const EVENT_LABELS: Record<string, string> = {
  opened: '立案',
  visited: '记录回访',
  rectifying: '开始整改',
  appealed: '提出申诉',
  explained: '解释说明',
  appeal_approved: '批准申诉',
  appeal_rejected: '驳回申诉',
  rectified: '提交整改措施',
  answered: '记录反馈',
  closed: '办结',
  reopened: '重新整改',
  assigned: '指派经办人',
  escalated: '超期督办',
  phone_erased: '删除手机号码',
  classified: '分类处理',
  coordinating: '开始协调办理',
  supervised: '督办',
  resolved: '记录办理结果',
  department_added: '增加协办部门',
  part_recorded: '记录协办情况',
  verified: '核实',
  responded: '答复（说明/整改）',
  returned: '退回重新答复',
};

/** Citizen labels of the events that are public but are not moves. */
export const PUBLIC_EVENT_LABELS: Record<string, string> = {
  opened: '已受理，等待回访',
  opened_anonymous: '已受理，由部门核实处理',
  phone_erased: '您留下的手机号码已按规定删除',
  reported: '已受理您反映的“办不成事”，部门将尽快核实答复',
  complaint: '已受理您的投诉，部门将尽快核实处理',
  observed: '监督报告已提交，等待部门答复',
};

/**
 * A case's status as its citizen reads it: an anonymous 差评 gets no call, so its first step is 待核实
 * (the department verifies it), as its timeline says (opened_anonymous).
 */
export function publicStatusLabel(kind: CaseKind, status: CaseStatus, anonymous: boolean): string {
  return anonymous && status === 'open' ? '待核实' : statusLabel(kind, status);
}
