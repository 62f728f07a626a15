// Enums and fixed wording of the domain, declared once and shared by server and client.
// The rules are written out in docs/domain.md; the wording and order are national practice.

export const ROLES = ['admin', 'supervisor', 'dept_head', 'observer'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  supervisor: '督查',
  dept_head: '部门负责人',
  observer: '特邀监督员',
};
/**
 * The roles of the staff who work the platform: every staff route admits these unless it names its
 * roles. A 特邀监督员 (observer) is an outsider: only the routes that name the role admit them.
 */
export const STAFF_ROLES = ['admin', 'supervisor', 'dept_head'] as const satisfies readonly Role[];

/** A staff password's length: at creation, change and reset alike. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export const SCORES = [5, 4, 3, 2, 1] as const;
export type Score = (typeof SCORES)[number];
export const SCORE_LABELS: Record<Score, string> = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
};
/** 差评 = scores 1–2 (差评必查); 好评 = 3–5. */
export function isBadScore(score: number): boolean {
  return score <= 2;
}

export const CASE_STATUSES = ['open', 'visited', 'rectifying', 'appealed', 'rectified', 'answered', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  open: '待回访',
  visited: '已回访核实',
  rectifying: '整改中',
  appealed: '申诉复核中',
  rectified: '已整改待反馈',
  answered: '已反馈',
  closed: '办结',
};

/** Every status but 办结: the work still to do (queues, unclosed and overdue counts). */
// Spelled out rather than filtered from CASE_STATUSES: a computed top-level value is kept by the
// citizen page's tree-shaker even unused (47 bytes gzipped of its 12 KB). test/foundation/domain.test.ts
// checks the two lists agree.
export const UNCLOSED_CASE_STATUSES: readonly CaseStatus[] = ['open', 'visited', 'rectifying', 'appealed', 'rectified', 'answered'];

/**
 * Whose move an unclosed case waits on (docs/domain.md 4.3): the department when its head may make a move
 * from the case's status (the department's 待整改 list is exactly these), otherwise the supervisor.
 */
export const WAITING_ON = ['department', 'supervisor'] as const;
export type WaitingOn = (typeof WAITING_ON)[number];
export const WAITING_ON_LABELS: Record<WaitingOn, string> = {
  department: '本部门',
  supervisor: '督查',
};

export const CASE_KINDS = ['bad_rating', 'spot_check', 'cannot_handle', 'complaint', 'observation'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_KIND_LABELS: Record<CaseKind, string> = {
  bad_rating: '差评必查',
  spot_check: '好评抽查',
  cannot_handle: '办不成事',
  complaint: '投诉',
  observation: '监督报告',
};
/** 一把手走流程 (#24): an observation report filed by a staff member, shown as such. */
export const WALKTHROUGH_LABEL = '一把手走流程';
/** How far back an observation report's date may be, in days (docs/domain.md 4.9). */
export const OBSERVED_DAYS_MAX = 30;
/** An observation report's text, in characters. */
export const OBSERVATION_TEXT_MAX = 2000;

/**
 * The kinds whose first step has its own deadline (contact_due_date): a 差评's 回访, a 办不成事's
 * 分类答复. Past it, an open case is overdue on its contact and escalates.
 */
export const CONTACT_DEADLINE_KINDS: readonly CaseKind[] = ['bad_rating', 'cannot_handle', 'complaint', 'observation'];

/**
 * 投诉 (docs/domain.md 4.8): the channels a complaint reaches the hall by, entered by staff. A 12345
 * work order keeps its 工单编号 (one case per order).
 */
export const COMPLAINT_CHANNELS = ['phone', '12345', 'mailbox', 'letter'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const COMPLAINT_CHANNEL_LABELS: Record<ComplaintChannel, string> = {
  phone: '投诉电话',
  '12345': '12345工单',
  mailbox: '意见箱·信箱',
  letter: '来信来访',
};
/** A 12345 工单编号: letters, digits and - _ /, as the hotline's systems print them. */
export const ORDER_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_\-/]{0,63}$/;

/** 办不成事's classification (docs/domain.md): 不能办 (explain), 不好办 (coordinate), 不给办 (督办). */
export const HANDLINGS = ['cannot', 'hard', 'refused'] as const;
export type Handling = (typeof HANDLINGS)[number];
export const HANDLING_LABELS: Record<Handling, string> = {
  cannot: '不能办',
  hard: '不好办',
  refused: '不给办',
};

export const CLASSIFICATIONS = ['valid', 'mistaken', 'malicious', 'no_basis'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  valid: '有效差评',
  mistaken: '误评',
  malicious: '恶意差评',
  no_basis: '无法律依据的诉求',
};

export const SATISFACTIONS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意',
};

export const ORG_KINDS = ['city', 'county'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Mainland mobile: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/** A phone as typed (spaces, dashes, +86 / 86 prefix) reduced to its 11 digits where it has them. */
export function normalizePhone(raw: string): string {
  return raw.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
}

/** A rating's optional comment, in characters. */
export const COMMENT_MAX = 500;

/** The reason lists of the settings (`tags.good`, `tags.bad`): how many reasons, each how many characters. */
export const TAG_LIMITS = { minItems: 1, maxItems: 30, maxLength: 30 } as const;

/** A code's location (hall, window) and its staff member's name (一人一码), in characters. */
export const LOCATION_MAX = 100;
export const STAFF_NAME_MAX = 30;

/** Sizes the QR PNG renderer can draw, in pixels. */
export const QR_PNG_MIN = 128;
export const QR_PNG_MAX = 2048;
export const QR_PNG_DEFAULT = 600;
/**
 * The sizes `qr.png` serves (docs/api.md): 256 for screens, 600 by default, 1200 for an A4 poster at
 * 300 dpi, 2048 for large prints. A fixed set, so a sender cannot ask for an endless run of uncached
 * images, and each size has its own limit by what it costs to draw.
 */
export const QR_PNG_SIZES = [256, QR_PNG_DEFAULT, 1200, QR_PNG_MAX] as const;
export type QrPngSize = (typeof QR_PNG_SIZES)[number];

/** Mask a mainland mobile for display: 138****1234 (docs/domain.md, 个人信息保护法). */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.length < 7) return '****';
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** Scan-funnel alerts of a code: posters damaged, hidden or never used (issue 3). */
export const FUNNEL_ALERTS = ['no_opens_30d', 'opens_without_submissions'] as const;
export type FunnelAlert = (typeof FUNNEL_ALERTS)[number];
export const FUNNEL_ALERT_LABELS: Record<FunnelAlert, string> = {
  no_opens_30d: '长期无人扫码',
  opens_without_submissions: '有扫码无评价',
};

/** Webhook notices to group robots (企业微信 / 钉钉): the robot kinds, the events sent, delivery states. */
export const WEBHOOK_KINDS = ['wecom', 'dingtalk'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];
export const WEBHOOK_KIND_LABELS: Record<WebhookKind, string> = { wecom: '企业微信群机器人', dingtalk: '钉钉群机器人' };
export const NOTIFY_EVENTS = ['bad_rating', 'case_overdue'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export const NOTIFY_EVENT_LABELS: Record<NotifyEvent, string> = { bad_rating: '新差评', case_overdue: '案件超期' };
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = { pending: '待发送', delivered: '已送达', failed: '失败' };

// Made on first use: a top-level `new Intl.Collator` would stay in the citizen page's bundle unused.
let locationCollator: Intl.Collator | undefined;

/**
 * Two locations (hall, window) in the order a person reads them: 2号窗口 before 10号窗口, Chinese by
 * pinyin. The code list and the per-code figures both sort locations with it.
 */
export function compareLocations(a: string, b: string): number {
  locationCollator ??= new Intl.Collator('zh-CN', { numeric: true });
  return locationCollator.compare(a, b);
}

/**
 * What the codes list sorts by. `department` is the list's own order (department order, then the order
 * the codes were made in, so a batch's windows 1, 2, … 10 stay together) and the default; the other
 * text keys ascend by default, figures and days descend (docs/api.md).
 */
export const CODE_SORTS = [
  'department',
  'code',
  'location',
  'createdAt',
  'opens30d',
  'submissions30d',
  'opensTotal',
  'submissionsTotal',
  'lastOpenDay',
  'lastSubmissionDay',
  'alert',
] as const;
export type CodeSort = (typeof CODE_SORTS)[number];
/** The keys whose order is text (ascending unless asked otherwise); every other key descends by default. */
export const CODE_TEXT_SORTS: readonly CodeSort[] = ['department', 'code', 'location'];

/**
 * How a rating came in (docs/domain.md, 办件): the static window code, a 办件's one-time link, the
 * window's 评价器 tablet, or the system's default rating of an unrated 办件.
 */
export const RATING_CHANNELS = ['qr', 'link', 'kiosk', 'default', 'paper', '12345'] as const;
export type RatingChannel = (typeof RATING_CHANNELS)[number];
export const RATING_CHANNEL_LABELS: Record<RatingChannel, string> = {
  qr: '二维码',
  link: '评价链接',
  kiosk: '评价器',
  default: '系统默认',
  paper: '纸质问卷',
  '12345': '12345热线',
};

/**
 * The channels of ratings a staff member types in (POST /api/ratings/paper, docs/domain.md 录入的评价):
 * paper questionnaires and 12345 return calls. No device or network limit, no automatic hold.
 */
export const ENTERED_CHANNELS = ['paper', '12345'] as const satisfies readonly RatingChannel[];
/** Questionnaires typed in per request (one transaction: all or nothing). */
export const PAPER_ENTRIES_MAX = 500;

/**
 * pf 评价渠道 of an upward report (docs/domain.md, 上报): the provincial interfaces' codes (Zhejiang's 办件评价服务:
 * pc端 1, 移动端 2, 二维码 3, 政务大厅平板电脑 4, 政务大厅其他终端 5). A window code is 二维码; a 评价器 is the hall's
 * tablet; a one-time link is opened on the citizen's own phone, so 移动端. A system default rating is "7" and
 * says so: it is never reported as a citizen's rating on another channel. A paper questionnaire or a 12345
 * return call typed in by staff has no code of its own: 5 (其他终端).
 */
export const RATING_PF: Record<RatingChannel, string> = {
  qr: '3',
  kiosk: '4',
  link: '2',
  default: '7',
  // Typed in by staff: 政务大厅其他终端 upward, the channel itself kept in our records.
  paper: '5',
  '12345': '5',
};
export const PF_LABELS: Record<string, string> = {
  '1': 'pc端',
  '2': '移动端',
  '3': '二维码',
  '4': '政务大厅平板电脑',
  '5': '政务大厅其他终端',
  '7': '系统默认评价',
};
/** An evaluation-detail code (evalDetail) of the settings' report.detailCodes: 1–32 letters, digits, _ or -. */
export const DETAIL_CODE_PATTERN = '^[0-9A-Za-z_-]{1,32}$';

/**
 * The rules that hold a window-code rating for review (docs/domain.md, Rating: held ratings), as
 * named in its flag reason: over the burst window (minutes) and over the China day.
 */
export const HOLD_RULES = [
  'network_bad_flood',
  'network_burst',
  'device_burst',
  'network_department_day',
  'device_department_day',
  'device_many_windows',
  'device_many_departments',
  'network_bare_devices',
] as const;
export type HoldRule = (typeof HOLD_RULES)[number];

export const HOLD_RULE_LABELS: Record<HoldRule, string> = {
  network_bad_flood: '同一网络集中差评',
  network_burst: '同一网络短时大量评价',
  device_burst: '同一设备短时大量评价',
  network_department_day: '同一网络当日评价某部门远超其日常量',
  device_department_day: '同一设备当日多次评价同一部门',
  device_many_windows: '同一设备当日评价多个窗口',
  device_many_departments: '同一设备当日评价多个部门',
  network_bare_devices: '同一网络大量设备只给五星且无理由',
};

/** The hold rules named in a rating's flag reason (comma-separated), in Chinese. */
export function holdRuleLabels(reason: string | null): string[] {
  if (!reason) return [];
  return reason.split(',').map((r) => HOLD_RULE_LABELS[r as HoldRule] ?? r);
}

/** A 办件's status: 受理 → 办结, or 不予受理/退回. Only an accepted 办件 moves; the other two are final. */
export const MATTER_STATUSES = ['accepted', 'finished', 'rejected'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];
export const MATTER_STATUS_LABELS: Record<MatterStatus, string> = { accepted: '已受理', finished: '已办结', rejected: '不予受理' };
export const APPLICANT_TYPES = ['person', 'legal'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];
export const APPLICANT_TYPE_LABELS: Record<ApplicantType, string> = { person: '个人', legal: '法人' };
/** Where a 办件 was applied for (the business system's channel). */
export const MATTER_SOURCES = ['window', 'online', 'mobile', 'hotline', 'other'] as const;
export type MatterSource = (typeof MATTER_SOURCES)[number];
export const MATTER_SOURCE_LABELS: Record<MatterSource, string> = {
  window: '窗口',
  online: '网上办事大厅',
  mobile: '移动端',
  hotline: '12345',
  other: '其他',
};
/** Field lengths of a 办件 (the business systems' own formats fit well within them). */
export const PROJECT_NO_MAX = 64;
export const TASK_CODE_MAX = 64;
export const TASK_NAME_MAX = 200;
/** 追评: one follow-up rating after the first (GB/T 39734-2020, 评价次数规则). */
export const MAX_ASSESS_NUMBER = 2;

// 金点子 (docs/domain.md, 金点子): suggestions citizens and enterprises submit, each answered by staff
// and the answers published. Categories and who submits are stored as their Chinese names (what the
// public page and the exports show); the decision as a code with its label.
export const SUGGESTION_CATEGORIES = ['流程优化', '服务态度', '环境设施', '信息化', '其他'] as const;
export type SuggestionCategory = (typeof SUGGESTION_CATEGORIES)[number];
export const SUBMITTER_TYPES = ['群众', '企业', '人大代表', '政协委员', '其他'] as const;
export type SubmitterTypeName = (typeof SUBMITTER_TYPES)[number];
export const SUGGESTION_DECISIONS = ['adopted', 'partial', 'declined'] as const;
export type SuggestionDecision = (typeof SUGGESTION_DECISIONS)[number];
export const SUGGESTION_DECISION_LABELS: Record<SuggestionDecision, string> = {
  adopted: '采纳',
  partial: '部分采纳',
  declined: '暂不采纳',
};
/** Lengths, in characters, of a suggestion's fields and of an answer's. */
export const SUGGESTION_TITLE_MAX = 60;
export const SUGGESTION_CONTENT_MAX = 1000;
export const SUGGESTION_CONTACT_MAX = 40;
export const SUGGESTION_ANSWER_MAX = 1000;
