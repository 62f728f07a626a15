import { type Static, Type } from 'typebox';
import { DETAIL_CODE_PATTERN, TAG_LIMITS } from '../domain.js';
import { Id, LiteralUnion, Nullable } from './common.js';

/** A list of reasons, in the order the citizen page offers them: no reason twice (checked on change, settings.service.ts). */
const TagList = Type.Array(Type.String({ minLength: 1, maxLength: TAG_LIMITS.maxLength }), {
  minItems: TAG_LIMITS.minItems,
  maxItems: TAG_LIMITS.maxItems,
});

/** Every configurable rule of docs/domain.md, with its default. Never a constant buried in code. */
export const SettingsSchema = Type.Object(
  {
    tags: Type.Object({ good: TagList, bad: TagList }, { additionalProperties: false, description: '评价理由标签：好评 / 差评' }),
    limits: Type.Object(
      {
        perCodeMinutes: Type.Integer({ minimum: 0, maximum: 1440, description: '同一设备对同一评议码的最短间隔（分钟）' }),
        perDevicePerDay: Type.Integer({ minimum: 1, maximum: 1000, description: '同一设备每日最多评价次数' }),
        networkPerMinute: Type.Integer({
          minimum: 10,
          maximum: 100000,
          description: '同一网络每分钟最多提交（超出返回 429；宽松，整个大厅共用一个 Wi-Fi）',
        }),
        burstWindowMinutes: Type.Integer({ minimum: 1, maximum: 1440, description: '突发检测窗口（分钟）' }),
        burstPerNetwork: Type.Integer({ minimum: 2, maximum: 100000, description: '窗口内同一网络超过此数的评价标记待核查' }),
        burstPerDevice: Type.Integer({ minimum: 2, maximum: 1000, description: '窗口内同一设备超过此数的评价标记待核查' }),
        burstBadPerNetwork: Type.Integer({
          minimum: 1,
          maximum: 100000,
          description: '窗口内同一网络超过此数的差评视为集中差评：暂扣，并归入同一件差评工单',
        }),
        networkDayMin: Type.Integer({ minimum: 1, maximum: 100000, description: '同一网络当日评价同一部门的暂扣下限（条）' }),
        networkDayFactor: Type.Number({
          minimum: 1,
          maximum: 1000,
          description: '同一网络当日评价同一部门超过部门近 28 日日均评价数的此倍数（且超过下限）即暂扣',
        }),
        deviceDepartmentPerDay: Type.Integer({ minimum: 1, maximum: 1000, description: '同一设备当日评价同一部门超过此数即暂扣' }),
        deviceCodesPerDay: Type.Integer({ minimum: 1, maximum: 1000, description: '同一设备当日评价的窗口超过此数即暂扣' }),
        deviceDepartmentsPerDay: Type.Integer({ minimum: 1, maximum: 1000, description: '同一设备当日评价的部门超过此数即暂扣' }),
        bareDevicesMin: Type.Integer({
          minimum: 1,
          maximum: 100000,
          description: '同一网络当日只给“非常满意”且无理由无留言的设备数的暂扣下限',
        }),
        bareDevicesFactor: Type.Number({
          minimum: 0,
          maximum: 1000,
          description: '上述设备数超过部门近 28 日日均评价数的此倍数（且超过下限）即暂扣',
        }),
        bareDevicesPercent: Type.Integer({
          minimum: 1,
          maximum: 100,
          description: '且这类设备占该网络当日评价该部门设备的百分比不低于此数',
        }),
        paperMaxAgeDays: Type.Integer({
          minimum: 1,
          maximum: 366,
          description: '录入纸质问卷、12345 回访评价：问卷日期最早可在今天之前多少天',
        }),
      },
      { additionalProperties: false },
    ),
    deadlines: Type.Object(
      {
        contactWorkingDays: Type.Integer({ minimum: 0, maximum: 30, description: '差评回访时限（工作日）' }),
        caseWorkingDays: Type.Integer({ minimum: 1, maximum: 90, description: '差评整改办结时限（工作日）' }),
      },
      { additionalProperties: false },
    ),
    spotCheck: Type.Object(
      {
        share: Type.Number({ minimum: 0, maximum: 1, description: '好评抽查比例（每部门每月）' }),
        minPerDepartment: Type.Integer({ minimum: 0, maximum: 100 }),
      },
      { additionalProperties: false },
    ),
    ranking: Type.Object(
      { minSample: Type.Integer({ minimum: 1, maximum: 10000, description: '参与排名的最少评价数' }) },
      { additionalProperties: false },
    ),
    privacy: Type.Object(
      { phoneRetentionDays: Type.Integer({ minimum: 1, maximum: 3650, description: '办结后手机号保留天数' }) },
      { additionalProperties: false },
    ),
    matters: Type.Object(
      {
        linkValidDays: Type.Integer({ minimum: 1, maximum: 30, description: '办件评价链接的有效期：办结后多少个自然日' }),
        defaultRating: Type.Object(
          {
            enabled: Type.Boolean({ description: '有效期内未评价的办件给系统默认评价' }),
            score: Type.Integer({ minimum: 1, maximum: 5, description: '默认评价的等级（5 非常满意 … 1 非常不满意）' }),
          },
          { additionalProperties: false },
        ),
        smsSign: Type.String({ maxLength: 20, description: '评价短信的签名（不含【】）；为空时用“{县区名称}政务服务”' }),
      },
      { additionalProperties: false, description: '办件评价（一次一评、一事一评）' },
    ),
    credibility: Type.Object(
      {
        bareFiveMinRatings: Type.Integer({
          minimum: 1,
          maximum: 100000,
          description: '无理由五星：窗口区间内至少有多少条群众评价才判断（样本太小说明不了什么）',
        }),
        bareFivePointsAbove: Type.Integer({ minimum: 0, maximum: 100, description: '无理由五星占比至少比部门基线高多少个百分点' }),
        bareFiveTimesBaseline: Type.Number({ minimum: 1, maximum: 100, description: '且至少是部门基线的多少倍' }),
        quickSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: '办结即评：办件办结后多少秒内的评价算“办结即评”' }),
        quickMinMatters: Type.Integer({
          minimum: 2,
          maximum: 10000,
          description: '同一设备办结即评本窗口的办件达到此数即提示（像工作人员替群众评价）',
        }),
        vanishRecentDays: Type.Integer({ minimum: 1, maximum: 90, description: '差评骤失：看区间最后多少天' }),
        vanishMinRecent: Type.Integer({ minimum: 1, maximum: 100000, description: '这几天至少有多少条群众评价（且没有一条差评）' }),
        vanishPriorDays: Type.Integer({ minimum: 1, maximum: 366, description: '与此前多少天比较' }),
        vanishMinPriorBad: Type.Integer({ minimum: 1, maximum: 100000, description: '此前至少有多少条差评（且差评率不低于本部门）' }),
      },
      { additionalProperties: false, description: '评价可信度线索（督查据此抽查、走访；不暂扣评价）' },
    ),
    citizen: Type.Object(
      {
        authority: Type.String({
          maxLength: 40,
          description: '发布机关：群众评价页顶部写明由谁发布（如“示例县政务服务和大数据管理局”）；为空时只写“码上评议”',
        }),
        hotline: Type.String({
          maxLength: 40,
          description: '其他反映渠道：评议码失效、链接过期时告诉群众还可以找谁（如“12345 政务服务便民热线”）；为空时不提',
        }),
      },
      { additionalProperties: false, description: '群众评价页' },
    ),
    report: Type.Object(
      {
        detailCodes: Type.Record(Type.String({ minLength: 1, maxLength: 30 }), Type.String({ pattern: DETAIL_CODE_PATTERN }), {
          description: '上报省级好差评系统时每个评价理由的评价详情代码（evalDetail）：理由 → 代码；没有代码的理由不上报代码',
        }),
      },
      { additionalProperties: false, description: '数据上报（省级好差评系统）' },
    ),
    cannotHandle: Type.Object(
      {
        answerWorkingDays: Type.Integer({ minimum: 0, maximum: 30, description: '办不成事分类答复时限（工作日）' }),
        caseWorkingDays: Type.Integer({ minimum: 1, maximum: 90, description: '办不成事办结时限（工作日）' }),
      },
      { additionalProperties: false, description: '办不成事反映的处理时限' },
    ),
    complaints: Type.Object(
      {
        verifyWorkingDays: Type.Integer({ minimum: 0, maximum: 30, description: '投诉核实时限（工作日）' }),
        caseWorkingDays: Type.Integer({ minimum: 1, maximum: 90, description: '投诉办结时限（工作日）' }),
      },
      { additionalProperties: false, description: '投诉（投诉电话、12345、信箱、来信来访）的处理时限' },
    ),
    observation: Type.Object(
      {
        answerWorkingDays: Type.Integer({ minimum: 1, maximum: 30, description: '监督报告部门答复时限（工作日）' }),
        caseWorkingDays: Type.Integer({ minimum: 1, maximum: 90, description: '监督报告办结时限（工作日）' }),
      },
      { additionalProperties: false, description: '特邀监督员、一把手走流程监督报告的处理时限' },
    ),
  },
  { additionalProperties: false },
);
export type Settings = Static<typeof SettingsSchema>;

export const SETTINGS_DEFAULTS: Settings = {
  tags: {
    good: ['态度热情', '办事高效', '一次办成', '指导耐心', '环境便利'],
    bad: [
      '服务态度差',
      '办事效率低/等候时间长',
      '多次跑动/未一次办成',
      '一次性告知不清/材料要求不明',
      '办事指南不清晰',
      '未按承诺时限办结',
      '窗口无人/人员不在岗',
      '自助设备无法使用',
      '工作纪律不严',
      '其他',
    ],
  },
  limits: {
    perCodeMinutes: 30,
    perDevicePerDay: 20,
    networkPerMinute: 600,
    burstWindowMinutes: 10,
    burstPerNetwork: 60,
    burstPerDevice: 5,
    burstBadPerNetwork: 2,
    networkDayMin: 80,
    networkDayFactor: 3,
    deviceDepartmentPerDay: 4,
    deviceCodesPerDay: 6,
    deviceDepartmentsPerDay: 3,
    bareDevicesMin: 30,
    bareDevicesFactor: 2,
    bareDevicesPercent: 90,
    paperMaxAgeDays: 90,
  },
  deadlines: { contactWorkingDays: 1, caseWorkingDays: 15 },
  spotCheck: { share: 0.05, minPerDepartment: 1 },
  ranking: { minSample: 10 },
  privacy: { phoneRetentionDays: 180 },
  matters: { linkValidDays: 7, defaultRating: { enabled: false, score: 4 }, smsSign: '' },
  credibility: {
    bareFiveMinRatings: 20,
    bareFivePointsAbove: 30,
    bareFiveTimesBaseline: 1.5,
    quickSeconds: 60,
    quickMinMatters: 5,
    vanishRecentDays: 14,
    vanishMinRecent: 30,
    vanishPriorDays: 60,
    vanishMinPriorBad: 5,
  },
  citizen: { authority: '', hotline: '12345 政务服务便民热线' },
  report: {
    // 好评 1xx, 差评 2xx, in the order of the default lists; a county maps its own reasons to its province's codes.
    detailCodes: {
      态度热情: '101',
      办事高效: '102',
      一次办成: '103',
      指导耐心: '104',
      环境便利: '105',
      服务态度差: '201',
      '办事效率低/等候时间长': '202',
      '多次跑动/未一次办成': '203',
      '一次性告知不清/材料要求不明': '204',
      办事指南不清晰: '205',
      未按承诺时限办结: '206',
      '窗口无人/人员不在岗': '207',
      自助设备无法使用: '208',
      工作纪律不严: '209',
      其他: '299',
    },
  },
  cannotHandle: { answerWorkingDays: 2, caseWorkingDays: 10 },
  complaints: { verifyWorkingDays: 2, caseWorkingDays: 15 },
  observation: { answerWorkingDays: 5, caseWorkingDays: 10 },
};

export type SettingKey = keyof Settings;

/**
 * Keys with one value for the whole platform, changed only by a top-level administrator (whose scope
 * is a root of the org tree): the phone retention period is a legal rule, and the erasure job runs over
 * every county at once. (So is `limits.networkPerMinute`: the per-network limit runs before the rated
 * code is known; its value is the platform's whatever a unit stores.) Every other key is set per org
 * unit and inherited down the tree (docs/domain.md, Settings).
 */
export const PLATFORM_KEYS: readonly SettingKey[] = ['privacy'];

const P = SettingsSchema.properties;
/** A change: a key's new value, or null to clear the unit's own value (the inherited one applies again). */
export const SettingsPatchSchema = Type.Object(
  {
    tags: Type.Optional(Nullable(P.tags)),
    // The limits grew with the anti-rigging rules: a client that sends only the fields it knows keeps the others.
    limits: Type.Optional(Nullable(Type.Partial(P.limits))),
    deadlines: Type.Optional(Nullable(P.deadlines)),
    spotCheck: Type.Optional(Nullable(P.spotCheck)),
    ranking: Type.Optional(Nullable(P.ranking)),
    privacy: Type.Optional(Nullable(P.privacy)),
    matters: Type.Optional(Nullable(P.matters)),
    credibility: Type.Optional(Nullable(P.credibility)),
    citizen: Type.Optional(Nullable(P.citizen)),
    report: Type.Optional(Nullable(P.report)),
    cannotHandle: Type.Optional(Nullable(P.cannotHandle)),
    complaints: Type.Optional(Nullable(P.complaints)),
    observation: Type.Optional(Nullable(P.observation)),
  },
  { additionalProperties: false },
);
export type SettingsPatch = Static<typeof SettingsPatchSchema>;

/** Which org unit's settings: the caller's own (scope root) when absent. */
export const SettingsQuery = Type.Object({ orgUnitId: Type.Optional(Id) });
export type SettingsQuery = Static<typeof SettingsQuery>;

const UnitRef = Type.Object(
  { id: Type.Integer(), name: Type.String() },
  { description: '继承自哪个单位；null：平台默认值（setHere 为 false 时）' },
);

/** Where each of a unit's values comes from, for the settings page. */
export const SettingsSources = Type.Object({
  orgUnit: Type.Object({ id: Type.Integer(), name: Type.String(), parentId: Nullable(Type.Integer()) }),
  /** Whether the caller may change the platform-wide settings (keys of scope 'platform', holiday tables). */
  canChangePlatform: Type.Boolean(),
  /** Whether the caller may change this unit's settings. */
  canChange: Type.Boolean(),
  settings: SettingsSchema,
  /** The allowed range of every number setting (from SettingsSchema): the settings page shows and checks them. */
  numberRanges: Type.Array(
    Type.Object({
      key: Type.String({ description: '组名.字段名，如 deadlines.caseWorkingDays' }),
      minimum: Type.Number(),
      maximum: Type.Number(),
      integer: Type.Boolean({ description: '只接受整数' }),
    }),
  ),
  keys: Type.Array(
    Type.Object({
      key: LiteralUnion([
        'tags',
        'limits',
        'deadlines',
        'spotCheck',
        'ranking',
        'privacy',
        'matters',
        'credibility',
        'citizen',
        'report',
        'cannotHandle',
        'complaints',
        'observation',
      ] as const),
      scope: LiteralUnion(['platform', 'unit'] as const, { description: 'platform：全平台设置；unit：按组织单位设置、向下继承' }),
      setHere: Type.Boolean({ description: '本单位设置了自己的值' }),
      inheritedFrom: Nullable(UnitRef),
    }),
  ),
});
export type SettingsSources = Static<typeof SettingsSources>;

export const HolidayTableSchema = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 366 }),
    workdays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 366 }),
    source: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** A loaded table as the settings page lists it; `loadedAt` is absent in the answer to the upload itself. */
export const HolidayTableView = Type.Object({
  year: Type.Integer(),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
  source: Type.Optional(Type.String()),
  loadedAt: Type.Optional(Type.Integer()),
});
export type HolidayTableView = Static<typeof HolidayTableView>;

export const HolidaysResponse = Type.Object({ tables: Type.Array(HolidayTableView), warnings: Type.Array(Type.String()) });
export type HolidaysResponse = Static<typeof HolidaysResponse>;
