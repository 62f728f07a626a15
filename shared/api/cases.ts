// Request/response schemas of the cases module. Response schemas are allow-lists: a phone number
// only ever appears in PhoneResponse (GET /api/cases/{id}/phone).
import { type Static, Type } from 'typebox';
import {
  APPLICANT_TYPES,
  CASE_KINDS,
  CASE_STATUSES,
  CLASSIFICATIONS,
  COMMENT_MAX,
  COMPLAINT_CHANNELS,
  HANDLINGS,
  MATTER_SOURCES,
  MATTER_STATUSES,
  OBSERVATION_TEXT_MAX,
  PROJECT_NO_MAX,
  RATING_CHANNELS,
  SATISFACTIONS,
  WAITING_ON,
} from '../domain.js';
import { DateString, Id, LiteralUnion as lit, MonthString, Nullable } from './common.js';

export const CaseStatusSchema = lit(CASE_STATUSES);
export const CaseKindSchema = lit(CASE_KINDS);
export const ClassificationSchema = lit(CLASSIFICATIONS);
export const SatisfactionSchema = lit(SATISFACTIONS);
export const HandlingSchema = lit(HANDLINGS);

const statusList = `(${CASE_STATUSES.join('|')})`;

export const CaseListQuery = Type.Object({
  status: Type.Optional(Type.String({ pattern: `^${statusList}(,${statusList})*$`, description: '状态，可用逗号分隔多个' })),
  kind: Type.Optional(CaseKindSchema),
  departmentId: Type.Optional(Id),
  overdue: Type.Optional(Type.Boolean()),
  actionable: Type.Optional(Type.Boolean({ description: '只列出本人可以处理的案件（待办）' })),
  waitingOn: Type.Optional(lit(WAITING_ON, { description: '只列出等待该方处理的未办结案件：department 本部门，supervisor 督查' })),
  /** Unclosed cases due that day: the whole deadline, or a 差评 still waiting for its return visit's contact deadline. */
  dueOn: Type.Optional(DateString),
  openedSince: Type.Optional(Type.Integer({ minimum: 0, maximum: 8.64e15, description: '只列出此时刻（毫秒）及之后立案的案件' })),
  subject: Type.Optional(
    Type.String({ maxLength: 100, description: '只列出反映此事项的案件（办不成事、投诉；与填写的事项完全一致）；空字符串：未填事项的' }),
  ),
  sort: Type.Optional(
    lit(['newest', 'queue'] as const, {
      description: 'newest：最新在前；queue：督查待办队列（逾期在前、再按期限），未指定 status 时只含未办结案件',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
});

export const CaseListItemSchema = Type.Object({
  id: Type.Integer(),
  caseNo: Type.String(),
  kind: CaseKindSchema,
  kindLabel: Type.String(),
  status: CaseStatusSchema,
  statusLabel: Type.String(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  codeId: Type.String(),
  location: Type.String(),
  /** The rating's score; null for a case no rating opened (办不成事). */
  score: Nullable(Type.Integer()),
  scoreLabel: Nullable(Type.String()),
  classification: Nullable(ClassificationSchema),
  /** 办不成事: the 事项 the citizen named (null: none given), and its classification 不能办 / 不好办 / 不给办. */
  subject: Nullable(Type.String()),
  handling: Nullable(HandlingSchema),
  handlingLabel: Nullable(Type.String()),
  dueDate: Type.String(),
  contactDueDate: Type.String(),
  overdue: Type.Boolean(),
  contactOverdue: Type.Boolean(),
  waitingOn: Nullable(lit(WAITING_ON, { description: '轮到谁办：department 本部门，supervisor 督查；办结为 null' })),
  escalated: Type.Boolean(),
  ratingId: Nullable(Type.Integer()),
  createdAt: Type.Integer(),
  officerId: Nullable(Type.Integer()),
  officerName: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  phoneMasked: Nullable(Type.String({ description: '脱敏手机号，如 138****1234' })),
  /** 监督报告: who filed it, whether it is a 一把手走流程, the day observed and the 办件编号 named. */
  reporterName: Nullable(Type.String()),
  walkthrough: Type.Boolean(),
  observedOn: Nullable(Type.String()),
  projectNo: Nullable(Type.String()),
});
export type CaseListItem = Static<typeof CaseListItemSchema>;

export const CaseListResponse = Type.Object({ cases: Type.Array(CaseListItemSchema), total: Type.Integer() });
export type CaseList = Static<typeof CaseListResponse>;

export const EventSchema = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  label: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  at: Type.Integer(),
  by: Nullable(Type.Integer()),
  byName: Nullable(Type.String()),
  note: Nullable(Type.String()),
  public: Type.Boolean({ description: '群众在进度查询页可见这一步（以 publicLabel 的字样）' }),
  /** The step's words on the citizen's status page; null when the citizen does not see the step. */
  publicLabel: Nullable(Type.String()),
  /** Whether the note is shown to the citizen (整改措施, 解释说明); otherwise it stays inside. */
  notePublic: Type.Boolean({ description: '说明（note）群众可见' }),
  data: Type.Object({
    classification: Type.Optional(Type.String()),
    classificationLabel: Type.Optional(Type.String()),
    satisfaction: Type.Optional(Type.String()),
    satisfactionLabel: Type.Optional(Type.String()),
    genuine: Type.Optional(Type.Boolean()),
    contact: Type.Optional(Type.String()),
    officerId: Type.Optional(Type.Integer()),
    officerName: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    dueDate: Type.Optional(Type.String()),
    contactDueDate: Type.Optional(Type.String()),
    handling: Type.Optional(Type.String()),
    handlingLabel: Type.Optional(Type.String()),
    departmentName: Type.Optional(Type.String()),
  }),
});
/** A timeline event as staff see it; `data` shows only the fields listed (anything else stays inside). */
export type CaseEvent = Static<typeof EventSchema>;

const FieldSpecSchema = Type.Object({
  name: lit(['note', 'classification', 'satisfaction', 'genuine', 'handling'] as const),
  type: lit(['choice', 'boolean', 'text'] as const),
  required: Type.Boolean(),
  label: Type.String(),
  /** Who will read it (a note: 群众可见, or internal and what the citizen sees of the step instead). */
  hint: Type.Optional(Type.String()),
  options: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Type.String() }))),
});
export type FieldSpec = Static<typeof FieldSpecSchema>;

export const AllowedMoveSchema = Type.Object({
  to: CaseStatusSchema,
  event: Type.String(),
  action: Type.String({ description: '操作名称（按钮文字）' }),
  fields: Type.Array(FieldSpecSchema),
});
export type AllowedMove = Static<typeof AllowedMoveSchema>;

/**
 * The 办件 a case's rating is bound to (一次一评), as the business system pushed it. The applicant's
 * mobile only masked (138****1234); null when none was given or it was erased.
 */
export const CaseMatterSchema = Type.Object({
  projectNo: Type.String({ description: '办件编号' }),
  codeId: Type.String({ description: '办理窗口的评议码' }),
  taskCode: Type.String({ description: '事项编码' }),
  taskName: Type.String({ description: '事项名称' }),
  staffName: Nullable(Type.String({ description: '办件经办人' })),
  applicantType: Nullable(lit(APPLICANT_TYPES)),
  applicantTypeLabel: Nullable(Type.String()),
  applicantPhoneMasked: Nullable(Type.String({ description: '申请人手机号（脱敏）' })),
  source: Nullable(lit(MATTER_SOURCES)),
  sourceLabel: Nullable(Type.String()),
  status: lit(MATTER_STATUSES),
  statusLabel: Type.String(),
  acceptedAt: Type.Integer({ description: '受理时间' }),
  finishedAt: Nullable(Type.Integer({ description: '办结时间' })),
  promisedDate: Nullable(Type.String({ description: '承诺办结日期 YYYY-MM-DD' })),
});
export type CaseMatter = Static<typeof CaseMatterSchema>;

export const CaseDetailSchema = Type.Object({
  ...CaseListItemSchema.properties,
  satisfaction: Nullable(SatisfactionSchema),
  genuine: Nullable(Type.Boolean()),
  reopenCount: Type.Integer(),
  visitedAt: Nullable(Type.Integer()),
  rectifiedAt: Nullable(Type.Integer()),
  answeredAt: Nullable(Type.Integer()),
  closedAt: Nullable(Type.Integer()),
  escalatedAt: Nullable(Type.Integer()),
  updatedAt: Type.Integer(),
  canViewPhone: Type.Boolean(),
  canAssign: Type.Boolean(),
  /** 不好办: the user may add a department to coordinate with (the case is being coordinated). */
  canCoordinate: Type.Boolean(),
  /** 不好办: the user's departments among the coordinating ones whose part they may record now. */
  partDepartmentIds: Type.Array(Type.Integer()),
  /** What the citizen reported (办不成事); null for a rating's case. */
  report: Nullable(
    Type.Object({
      subject: Nullable(Type.String({ description: '事项' })),
      description: Type.String({ description: '反映的情况（手机号已脱敏）' }),
      phoneMasked: Nullable(Type.String()),
      /** 投诉: its channel, 12345 工单编号 and the day received (null for a 办不成事). */
      channel: Type.Optional(Nullable(lit(COMPLAINT_CHANNELS))),
      channelLabel: Type.Optional(Nullable(Type.String())),
      orderNo: Type.Optional(Nullable(Type.String())),
      receivedOn: Type.Optional(Nullable(Type.String())),
      phoneErased: Type.Boolean(),
    }),
  ),
  /** 不好办: the departments coordinated with and the part each recorded. */
  parts: Type.Array(
    Type.Object({
      departmentId: Type.Integer(),
      departmentName: Type.String(),
      addedAt: Type.Integer(),
      note: Nullable(Type.String()),
      at: Nullable(Type.Integer()),
      byName: Nullable(Type.String()),
    }),
  ),
  /** The rating that opened the case; null for a case no rating opened (办不成事). */
  rating: Nullable(
    Type.Object({
      id: Type.Integer(),
      score: Type.Integer(),
      scoreLabel: Type.String(),
      tags: Type.Array(Type.String()),
      comment: Nullable(Type.String()),
      createdAt: Type.Integer(),
      codeId: Type.String(),
      location: Type.String(),
      realName: Type.Boolean(),
      phoneMasked: Nullable(Type.String()),
      phoneErased: Type.Boolean(),
      excluded: Type.Boolean(),
      flagged: Type.Boolean(),
      channel: lit(RATING_CHANNELS),
      /** 二维码 / 评价链接 / 评价器 / 系统默认. */
      channelLabel: Type.String(),
      /** 1 首次评价, 2 追评; null for a window code's rating (not bound to a 办件). */
      assessNumber: Nullable(Type.Integer()),
      /** Replaced in every figure by the 办件's 追评 (it stays stored, and its case goes on). */
      superseded: Type.Boolean(),
    }),
  ),
  matter: Nullable(CaseMatterSchema),
  /** The flood this case stands for: its 差评 attached while held (GET /api/ratings/held?groupId=…). */
  flood: Nullable(
    Type.Object({
      groupId: Type.Integer(),
      ratingCount: Type.Integer({ description: '这一批被暂扣的评价数' }),
      heldCount: Type.Integer({ description: '仍待核查的' }),
    }),
  ),
  events: Type.Array(EventSchema, { description: '时间线，最早的在前' }),
  allowedMoves: Type.Array(AllowedMoveSchema, { description: '当前用户接下来可以执行的操作及所需字段' }),
});
export type CaseDetail = Static<typeof CaseDetailSchema>;

export const TransitionBody = Type.Object(
  {
    to: CaseStatusSchema,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    classification: Type.Optional(ClassificationSchema),
    satisfaction: Type.Optional(SatisfactionSchema),
    genuine: Type.Optional(Type.Boolean()),
    handling: Type.Optional(HandlingSchema),
  },
  { additionalProperties: false },
);
export type TransitionBodyT = Static<typeof TransitionBody>;

export const AssignBody = Type.Object({ officerId: Id }, { additionalProperties: false });

export const AssigneesResponse = Type.Object({
  users: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String(), role: Type.String(), roleLabel: Type.String() })),
});
export type Assignee = Static<typeof AssigneesResponse>['users'][number];

export const PhoneResponse = Type.Object({ phone: Type.String() });

/** A step of the case as the citizen sees it. */
export const PublicEventSchema = Type.Object({ at: Type.Integer(), label: Type.String(), note: Nullable(Type.String()) });

/**
 * The citizen's view of a case: where and what was rated, as the citizen wrote it (the comment as
 * stored: numbers masked), its deadlines, and the steps and notes addressed to the citizen. Nothing
 * of staff beyond the steps' public labels, no phone number.
 */
export const PublicStatusSchema = Type.Object({
  caseNo: Type.String(),
  /** 差评必查 or 办不成事 (the page's own `kind` says which page it is). */
  caseKind: CaseKindSchema,
  status: CaseStatusSchema,
  statusLabel: Type.String(),
  departmentName: Type.String(),
  /** The window (the code's location). */
  location: Type.String(),
  /** A rating's case: what was rated. A reported case (办不成事) has no score: its 事项 and description instead. */
  score: Nullable(Type.Integer()),
  scoreLabel: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  comment: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  description: Nullable(Type.String()),
  /** 匿名差评: no call back; the department verifies and rectifies. */
  anonymous: Type.Boolean(),
  /** The 回访 deadline (anonymous: the verification's), YYYY-MM-DD. */
  contactDueDate: Type.String(),
  /** The whole case's deadline (办结时限), YYYY-MM-DD. */
  dueDate: Type.String(),
  createdAt: Type.Integer(),
  events: Type.Array(PublicEventSchema),
});
export type PublicCaseStatus = Static<typeof PublicStatusSchema>;

export const TokenParam = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

/** 找回进度查询链接: the case number and the last 4 digits of the phone the citizen left. */
export const CaseLookupBody = Type.Object(
  {
    caseNo: Type.String({ minLength: 1, maxLength: 40, description: '受理编号，如 CP20261123-0001' }),
    phoneLast4: Type.String({ pattern: '^[0-9]{4}$', description: '评价时留下的手机号后四位' }),
  },
  { additionalProperties: false },
);
export const CaseLookupResponse = Type.Object({ statusUrl: Type.String({ description: '进度查询页，如 /s/{token}' }) });

export const RatingHistorySchema = Type.Object({
  rating: Type.Object({
    id: Type.Integer(),
    score: Type.Integer(),
    scoreLabel: Type.String(),
    departmentId: Type.Integer(),
    createdAt: Type.Integer(),
    excluded: Type.Boolean(),
    flagged: Type.Boolean(),
    /** Held for review: counted nowhere until a supervisor's decision. */
    held: Type.Boolean(),
    flagReason: Type.Union([Type.String(), Type.Null()]),
    /** The hold rules of flagReason, in Chinese. */
    flagLabels: Type.Array(Type.String()),
  }),
  decisions: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      reason: Type.String(),
      caseId: Nullable(Type.Integer()),
      decidedBy: Nullable(Type.Integer()),
      decidedByName: Nullable(Type.String()),
      decidedAt: Type.Integer(),
    }),
  ),
  cases: Type.Array(
    Type.Object({ id: Type.Integer(), caseNo: Type.String(), kind: CaseKindSchema, status: CaseStatusSchema, statusLabel: Type.String() }),
  ),
  events: Type.Array(Type.Object({ ...EventSchema.properties, caseId: Type.Integer(), caseNo: Type.String() })),
});
export type RatingHistory = Static<typeof RatingHistorySchema>;

export const DrawBody = Type.Object(
  { month: MonthString, seed: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);
export type DrawInput = Static<typeof DrawBody>;

export const DrawSchema = Type.Object({
  id: Type.Integer(),
  month: Type.String(),
  seed: Type.String(),
  share: Type.Number(),
  eligible: Type.Integer(),
  drawn: Type.Integer(),
  drawnAt: Type.Integer(),
  drawnBy: Type.Integer(),
  drawnByName: Nullable(Type.String()),
  orgUnitId: Nullable(Type.Integer()),
});
export type SpotCheckDraw = Static<typeof DrawSchema>;

/** The month in the drawer's scope after a draw: every rating a draw considered so far, and how many were drawn. */
const DrawMonthTotalSchema = Type.Object({ eligible: Type.Integer(), drawn: Type.Integer() });

export const DrawResponse = Type.Object({ draw: DrawSchema, cases: Type.Array(CaseListItemSchema), monthTotal: DrawMonthTotalSchema });
export type DrawResult = Static<typeof DrawResponse>;

export const DrawListResponse = Type.Object({ draws: Type.Array(DrawSchema) });

/** 办不成事's lengths, in characters: the 事项 named and what happened. */
export const REPORT_SUBJECT_MAX = 100;
export const REPORT_DESCRIPTION_MAX = COMMENT_MAX * 2;

/** POST /api/public/reports (办不成事, no login): the code's window, what happened, a phone only with consent. */
export const ReportBody = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '评议码（反映的窗口）；与 matterToken 二选一' })),
    matterToken: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: '不予受理办件的反映链接令牌（/e/{token}）；与 code 二选一' }),
    ),
    description: Type.String({ maxLength: REPORT_DESCRIPTION_MAX, description: '遇到的情况（必填）' }),
    subject: Type.Optional(Type.String({ maxLength: REPORT_SUBJECT_MAX, description: '想办的事项（可选；经办件链接时默认为办件的事项）' })),
    phone: Type.Optional(Type.String({ maxLength: 20, description: '手机号（可选，须同时 consent: true）' })),
    consent: Type.Optional(Type.Boolean({ description: '同意工作人员用此号码联系' })),
  },
  { additionalProperties: false },
);
export type ReportInput = Static<typeof ReportBody>;
export const ReportCreated = Type.Object({
  caseNo: Type.String({ description: '受理编号' }),
  statusUrl: Type.String({ description: '进度查询页，如 /s/{token}' }),
});

/** 不好办: a department added to the case, and a coordinating department's part. */
export const AddDepartmentBody = Type.Object({ departmentId: Id }, { additionalProperties: false });
export const PartBody = Type.Object(
  { departmentId: Id, note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

/** GET /api/stats/cannot-handle: 办不成事 figures of a period, per department and per 事项. */
const ReportFigureRow = Type.Object({
  reports: Type.Integer({ description: '反映件数（按反映日期）' }),
  closed: Type.Integer({ description: '已办结' }),
  solved: Type.Integer({ description: '办结且群众满意或基本满意' }),
  solveRate: Nullable(Type.Number({ description: '解决率 = solved / closed；无办结为 null' })),
  cannot: Type.Integer({ description: '分类为不能办的' }),
  hard: Type.Integer({ description: '分类为不好办的' }),
  refused: Type.Integer({ description: '分类为不给办的（其余尚未分类）' }),
});
export const ReportFiguresResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  total: ReportFigureRow,
  departments: Type.Array(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), ...ReportFigureRow.properties })),
  subjects: Type.Array(
    Type.Object({
      departmentId: Type.Integer(),
      departmentName: Type.String(),
      subject: Nullable(Type.String()),
      ...ReportFigureRow.properties,
    }),
  ),
});
export type ReportFigures = Static<typeof ReportFiguresResponse>;
export const ReportFiguresQuery = Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString) });

/** A 12345 工单编号 as the hotline's systems print it (ORDER_NO_PATTERN in shared/domain.ts). */
const OrderNo = Type.String({ minLength: 1, maxLength: 64, description: '12345 工单编号（字母、数字、- _ /）' });

/** POST /api/cases/complaints (staff): a complaint received by phone, 12345, mailbox or letter, entered as a case. */
export const ComplaintBody = Type.Object(
  {
    channel: lit(COMPLAINT_CHANNELS, { description: '来源渠道：phone 投诉电话 / 12345 12345工单 / mailbox 意见箱·信箱 / letter 来信来访' }),
    departmentId: { ...Id, description: '被投诉的部门（本人范围内）' },
    code: Type.Optional(Type.String({ maxLength: 64, description: '被投诉的窗口（评议码，可选，须属于该部门）' })),
    subject: Type.Optional(Type.String({ maxLength: REPORT_SUBJECT_MAX, description: '事项（可选）' })),
    description: Type.String({ maxLength: REPORT_DESCRIPTION_MAX, description: '群众反映的内容（必填）' }),
    phone: Type.Optional(Type.String({ maxLength: 20, description: '群众手机号（可选，须同时 consent: true）' })),
    consent: Type.Optional(Type.Boolean({ description: '群众同意回访（工作人员记录）' })),
    receivedOn: DateString,
    orderNo: Type.Optional(OrderNo),
  },
  { additionalProperties: false },
);
export type ComplaintInput = Static<typeof ComplaintBody>;
export const ComplaintCreated = Type.Object({
  id: Type.Integer(),
  caseNo: Type.String({ description: '受理编号（TS + 日期 + 序号）' }),
  statusUrl: Type.String({ description: '进度查询页 /s/{token}' }),
});

/** POST /api/work-orders (integration key, or supervisor / admin): a 12345 work order, idempotent by its number. */
export const WorkOrderBody = Type.Object(
  {
    orderNo: OrderNo,
    departmentId: { ...Id, description: '承办部门的 id（GET /api/departments）' },
    code: Type.Optional(Type.String({ maxLength: 64, description: '窗口的评议码（可选）' })),
    subject: Type.String({ maxLength: REPORT_SUBJECT_MAX, description: '工单标题 / 事项' }),
    description: Type.String({ maxLength: REPORT_DESCRIPTION_MAX, description: '工单内容（必填）' }),
    phone: Type.Optional(Type.String({ maxLength: 20, description: '来电人手机号（可选：12345 受理时已征得回访同意）' })),
    receivedAt: DateString,
  },
  { additionalProperties: false },
);
export type WorkOrderInput = Static<typeof WorkOrderBody>;

/** GET /api/stats/complaints: complaints of a period by channel and department, closed on time. */
const ComplaintFigureRow = Type.Object({
  complaints: Type.Integer({ description: '投诉件数（按收到日期）' }),
  closed: Type.Integer({ description: '已办结' }),
  onTime: Type.Integer({ description: '在办结时限内办结' }),
  onTimeRate: Nullable(Type.Number({ description: '按时办结率 = onTime / closed；无办结为 null' })),
  satisfied: Type.Integer({ description: '办结且群众满意或基本满意' }),
});
export const ComplaintFiguresResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  total: ComplaintFigureRow,
  channels: Type.Array(Type.Object({ channel: lit(COMPLAINT_CHANNELS), channelLabel: Type.String(), ...ComplaintFigureRow.properties })),
  departments: Type.Array(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), ...ComplaintFigureRow.properties })),
});
export type ComplaintFigures = Static<typeof ComplaintFiguresResponse>;
/** POST /api/observations: an observation report (特邀监督员; a staff member's is a 一把手走流程). */
export const ObservationBody = Type.Object(
  {
    departmentId: { ...Id, description: '被监督的部门' },
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '窗口的评议码（可选：不指定窗口时不填）' })),
    observedOn: DateString,
    description: Type.String({ maxLength: OBSERVATION_TEXT_MAX, description: '看到的情况（必填；手机号码保存时打码）' }),
    projectNo: Type.Optional(Type.String({ maxLength: PROJECT_NO_MAX, description: '办件编号（可选，须是已有的办件）' })),
  },
  { additionalProperties: false },
);
export type ObservationInput = Static<typeof ObservationBody>;
export const ObservationCreated = Type.Object({ id: Type.Integer(), caseNo: Type.String() });

/** GET /api/observations: the caller's own reports with their progress (public steps and the answers only). */
export const ObservationList = Type.Object({
  reports: Type.Array(
    Type.Object({
      id: Type.Integer(),
      caseNo: Type.String(),
      walkthrough: Type.Boolean(),
      departmentName: Type.String(),
      location: Type.String(),
      observedOn: Type.String(),
      description: Type.String(),
      projectNo: Nullable(Type.String()),
      status: CaseStatusSchema,
      statusLabel: Type.String(),
      dueDate: Type.String(),
      createdAt: Type.Integer(),
      events: Type.Array(Type.Object({ at: Type.Integer(), label: Type.String(), note: Nullable(Type.String()) })),
    }),
  ),
});
export type ObservationListT = Static<typeof ObservationList>;

/** GET /api/stats/observations: observation reports per department of a period (by filing day). */
export const ObservationFigures = Type.Object({
  from: Type.String(),
  to: Type.String(),
  departments: Type.Array(
    Type.Object({
      departmentId: Type.Integer(),
      departmentName: Type.String(),
      reports: Type.Integer({ description: '监督报告件数（含一把手走流程）' }),
      walkthroughs: Type.Integer({ description: '其中一把手走流程' }),
      closed: Type.Integer({ description: '已办结' }),
    }),
  ),
});
export type ObservationFiguresT = Static<typeof ObservationFigures>;

/** GET /api/observations/options: the departments an observer may report on, each with its windows. */
export const ObservationOptions = Type.Object({
  departments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      windows: Type.Array(Type.Object({ code: Type.String(), location: Type.String() })),
    }),
  ),
});
export type ObservationOptionsT = Static<typeof ObservationOptions>;
