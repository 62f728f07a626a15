// The demo county's other ways in (issue 14): 办不成事 reports, complaints and 12345 work orders, paper
// questionnaires typed in by the supervisor, invited observers' reports and 一把手走流程 — so a person
// trying the staff app finds something on each page. Scripted over the last ~60 days whatever the
// ratings' history length, made through the same services as the real routes (case numbers, deadlines
// on the working-day calendar, events, rollups and the outbox as they would be), each step dated with
// the demo's clock. Times within a day and phone numbers come from a seeded stream of their own, so the
// ratings' and 办件' draws stay what they were.
import type { Db } from '../db/client.js';
import { getPublicCaseByToken, listCasesOfRating } from '../db/queries/cases.js';
import { findUserByUsername } from '../db/queries/users.js';
import { DEMO_OBSERVERS, DEMO_USERS } from '../db/seed.js';
import { chinaDay } from '../shared/china-time.js';
import type { ComplaintChannel, Satisfaction, Score } from '../shared/domain.js';
import type { Actor } from './modules/auth/actor.js';
import { seededRandom } from './modules/cases/prng.js';
import type { MoveInput } from './modules/cases/workflow.js';
import type { Services } from './services.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A step of a case after it opened: a workflow move, or (不好办) a department added or its part recorded. */
type Step =
  | { move: MoveInput; by?: 'head' }
  | { add: string }
  | { part: string; note: string }
  /** Working days before the next step (default 1). */
  | { wait: number };

const done = (note: string, satisfaction: Satisfaction = 'satisfied'): MoveInput => ({ to: 'closed', satisfaction, note });

/** 不能办: classified, explained (the note is the citizen's), closed with their feedback when given. */
function cannot(check: string, explain: string, feedback?: string, satisfaction?: Satisfaction): Step[] {
  return [
    { move: { to: 'visited', handling: 'cannot', note: check } },
    { move: { to: 'rectified', note: explain } },
    ...(feedback ? [{ wait: 2 }, { move: done(feedback, satisfaction) }] : []),
  ];
}

/** 不好办: classified, coordinated with other departments (each records its part), resolved and closed. */
function hard(
  check: string,
  parts: Array<[department: string, part: string | null]>,
  result?: string,
  feedback?: string,
  satisfaction?: Satisfaction,
): Step[] {
  const steps: Step[] = [
    { move: { to: 'visited', handling: 'hard', note: check } },
    { move: { to: 'rectifying', note: '召集相关部门会商，明确各自办理事项和时限' } },
  ];
  for (const [d] of parts) steps.push({ add: d });
  for (const [d, part] of parts) if (part) steps.push({ wait: 2 }, { part: d, note: part });
  if (result) steps.push({ wait: 1 }, { move: { to: 'rectified', note: result } });
  if (feedback) steps.push({ wait: 2 }, { move: done(feedback, satisfaction) });
  return steps;
}

/** 不给办: classified, 督办 by the supervisor; resolved and closed when the department did it. */
function refused(check: string, opinion: string, result?: string, feedback?: string): Step[] {
  return [
    { move: { to: 'visited', handling: 'refused', note: check } },
    { move: { to: 'rectifying', note: opinion } },
    ...(result
      ? ([{ wait: 3 }, { move: { to: 'rectified', note: result } }, { wait: 2 }, { move: done(feedback ?? '群众表示满意') }] as Step[])
      : []),
  ];
}

interface ReportItem {
  dept: string;
  /** Reported at the 行政审批服务局's “办不成事”反映窗口 (its own code) rather than at a window of `dept`. */
  atDesk?: true;
  subject: string;
  text: string;
  daysAgo: number;
  phone?: true;
  steps: Step[];
}

// 事项 from the demo's 办事指南 (db/demo-guides.ts).
const REPORTS: ReportItem[] = [
  {
    dept: '县不动产登记中心',
    subject: '存量房买卖转移登记',
    text: '卖方在外地打工回不来，想委托亲戚代办，窗口说必须本人到场，跑了两趟没办成。',
    daysAgo: 58,
    phone: true,
    steps: cannot(
      '已电话联系群众核实',
      '委托办理须提供经公证的授权委托书。卖方可在务工地公证处办理委托公证，或预约“跨省通办”远程视频核验，本人无需回来；已安排专人一对一指导。',
      '群众已按指引办理委托公证并完成过户，表示满意',
    ),
  },
  {
    dept: '县公安局',
    subject: '户口迁入（投靠亲属）',
    text: '想把父母户口迁到我这里，窗口说要老人回老家派出所开准迁证明，两位老人身体不好，跑不了。',
    daysAgo: 56,
    phone: true,
    steps: hard(
      '已回访群众，情况属实，涉及迁出地和帮办代办',
      [['县行政审批服务局', '帮办代办窗口安排专人代群众收集、邮寄材料，并全程跟踪进度']],
      '县公安局通过“跨省通办”与迁出地公安机关网上协同办理迁移，老人无需返乡，户口已迁入。',
      '群众表示满意，感谢帮办代办',
    ),
  },
  {
    dept: '县人力资源和社会保障局',
    subject: '企业职工基本养老保险关系转移接续',
    text: '在外省交了八年社保，转回来时系统查不到外省的缴费信息，窗口让我自己去外省开证明。',
    daysAgo: 53,
    phone: true,
    steps: hard(
      '已回访核实：转出地信息未上传，医保关系也需同步转移',
      [['县医疗保障局', '同步办理职工医保关系转移接续，缴费年限已合并计算']],
      '县社保中心通过全国社保转移平台向转出地发函催办，转移接续已完成，缴费年限连续计算。',
      '群众基本满意，希望今后转移更快一些',
      'basic',
    ),
  },
  {
    dept: '县市场监督管理局',
    subject: '食品经营许可（新办）',
    text: '店面在老小区一楼，窗口说房屋是住宅，不能办食品经营许可，可隔壁也在开店。',
    daysAgo: 50,
    steps: cannot(
      '匿名反映，已调取窗口受理记录核实',
      '利用住宅从事食品经营须符合规划用途，这是法定条件。可先向自然资源部门申请改变房屋用途，或选择商业用房；隔壁店铺的情况已转执法人员核查。',
      '群众到“办不成事”反映窗口查询进度时表示理解',
      'basic',
    ),
  },
  {
    dept: '县税务局',
    subject: '二手房交易税费申报',
    text: '房子是继承的，税务窗口说先做继承权公证才能算税，公证处又说要税务先出意见，两边推。',
    daysAgo: 47,
    phone: true,
    steps: hard(
      '已回访群众，属多部门衔接问题',
      [
        ['县司法局', '公证处开通继承公证绿色通道，3 个工作日出具公证书，无需税务先出意见'],
        ['县不动产登记中心', '继承登记与税费申报在不动产综合窗口一窗受理，当日办结'],
      ],
      '三部门会商明确办理顺序：先公证、后申报、再登记，并写入办事指南；群众的继承登记已办结。',
      '群众表示满意',
    ),
  },
  {
    dept: '县医疗保障局',
    subject: '跨省异地就医备案',
    text: '家里老人在外地住院，打电话问怎么备案，窗口说要本人来，人在医院怎么来？',
    daysAgo: 44,
    phone: true,
    steps: cannot(
      '已电话回访，窗口一次性告知不到位',
      '跨省异地就医备案不需要本人到窗口：可在“国家医保服务平台”App 或拨打医保服务热线办理，家属也可代办。已当场帮群众办好备案，并对窗口人员批评教育。',
      '群众表示满意',
    ),
  },
  {
    dept: '县住房公积金管理中心',
    subject: '租赁住房提取住房公积金',
    text: '租房提取要房东身份证复印件和租赁备案，房东不配合，一直提不出来。',
    daysAgo: 41,
    steps: cannot(
      '匿名反映，已核实提取政策',
      '未办理租赁备案的，可按本县规定的租房提取额度凭本人无房证明提取，不需要房东材料；已在办事指南中写明。',
      '群众到窗口办理提取时反馈满意',
    ),
  },
  {
    dept: '县行政审批服务局',
    atDesk: true,
    subject: '公共场所卫生许可',
    text: '理发店换了法人，窗口说要重新办卫生许可，要重新检测，又要等一个月。',
    daysAgo: 38,
    steps: refused(
      '经核实，法定代表人变更属于变更事项，不需要重新申请',
      '督办：窗口按新办要求群众重新检测没有依据，限 3 个工作日内按变更办理，并说明原因',
      '已按变更事项当场办结，对窗口负责人约谈提醒',
      '群众到窗口领证时表示满意',
    ),
  },
  {
    dept: '县民政局',
    subject: '最低生活保障申请',
    text: '母亲重病，申请低保，社区说家里有车就不能申请，车是十几年的旧面包车。',
    daysAgo: 35,
    phone: true,
    steps: hard(
      '已入户核实：家庭因病支出大，车辆为生产用旧车',
      [['县医疗保障局', '已为群众母亲办理门诊慢特病待遇认定和医疗救助']],
      '经县民政局认定，价值较低的生产经营用车不计入家庭财产，已纳入低保，自本月起发放。',
      '群众表示感谢',
    ),
  },
  {
    dept: '县人力资源和社会保障局',
    subject: '失业保险金申领',
    text: '公司倒闭了，老板联系不上，没法开离职证明，窗口说没有证明不能领失业金。',
    daysAgo: 32,
    steps: cannot(
      '匿名反映，已核实企业已被吊销',
      '企业无法出具离职证明的，可凭劳动仲裁文书或社保中心核实的停保记录申领，不需要老板签字；请带身份证到县社会保险事业中心窗口办理。',
      '群众已领取失业保险金',
    ),
  },
  {
    dept: '县自然资源局',
    subject: '乡村建设规划许可',
    text: '老房子翻建，镇上说要县里的规划许可，县里说要先有镇上的意见，来回跑了三趟。',
    daysAgo: 29,
    steps: refused(
      '经核实，县、镇两级办理环节未衔接',
      '督办：县自然资源局牵头与镇政府明确先后顺序，5 个工作日内答复群众',
      '已建立县镇联办机制，镇上意见由县窗口网上征求，群众的规划许可已核发',
      '群众到窗口领证时表示满意',
    ),
  },
  {
    dept: '县交通运输局',
    subject: '道路运输车辆年度审验',
    text: '货车在外省跑运输，年审必须开回来，来回要三天，耽误生意。',
    daysAgo: 26,
    steps: cannot(
      '匿名反映，已核实年审规定',
      '道路运输车辆年审需核查车辆技术等级评定，外省有资质的检测机构出具的报告本县认可，车辆不必开回；报告可网上提交。',
      '群众到“办不成事”反映窗口查询进度时表示已在外省完成检测',
    ),
  },
  {
    dept: '县卫生健康委员会',
    subject: '《出生医学证明》首次签发',
    text: '孩子在外地医院出生，没带出生证就回来了，县里说只能回出生的医院补。',
    daysAgo: 24,
    phone: true,
    steps: cannot(
      '已电话回访群众',
      '《出生医学证明》只能由出生的医疗机构签发，这是国家规定；可委托出生医院邮寄，已帮群众联系好医院，材料网上提交即可。',
      '群众已收到邮寄的出生医学证明',
    ),
  },
  {
    dept: '县不动产登记中心',
    subject: '不动产权证书补证',
    text: '房产证丢了补办，窗口说要登报声明再等 15 个工作日，太慢了。',
    daysAgo: 23,
    steps: [],
  },
  {
    dept: '县公安局',
    subject: '机动车驾驶证期满换证',
    text: '驾驶证到期，人在外地，问能不能异地换证，窗口说只能回来办。',
    daysAgo: 20,
    steps: cannot(
      '匿名反映，已核实',
      '驾驶证期满换证已全国通办，可在“交管 12123”App 申请，或到所在地任一车管所办理，不需要回来。',
      '群众通过进度查询页留言表示已办好',
    ),
  },
  {
    dept: '县市场监督管理局',
    subject: '企业简易注销登记',
    text: '公司要注销，市场监管说税务没清完，税务说先去市场监管，两边都说等对方。',
    daysAgo: 12,
    phone: true,
    steps: hard('已回访，涉及清税与注销衔接', [
      ['县税务局', '已出具清税证明（即办），同步推送至注销登记系统'],
      ['县人力资源和社会保障局', null],
    ]),
  },
  {
    dept: '县住房和城乡建设局',
    subject: '公共租赁住房申请',
    text: '申请公租房交材料三个月了，每次问都说在审核，不告诉结果也不说为什么。',
    daysAgo: 14,
    steps: refused('经核实，审核已超过承诺时限', '督办：限期 5 个工作日内完成审核，书面告知群众结果和理由'),
  },
  {
    dept: '县行政审批服务局',
    atDesk: true,
    subject: '企业投资项目备案',
    text: '项目备案系统一直提示“统一社会信用代码不存在”，企业是刚注册的，窗口也说不清楚。',
    daysAgo: 12,
    phone: true,
    steps: refused('经核实，新设企业信息未同步到备案系统', '督办：由县行政审批服务局联系省平台处理，期间先行线下受理'),
  },
  {
    dept: '县人力资源和社会保障局',
    subject: '社会保障卡申领',
    text: '在银行网点办社保卡说要先在人社窗口激活，人社窗口又让回银行。',
    daysAgo: 9,
    steps: cannot('匿名反映，已核实', '社保卡在银行网点领取后当场即可激活；已对合作银行网点的工作人员重新培训，并在网点张贴激活流程。'),
  },
  {
    dept: '县税务局',
    subject: '代开增值税发票（自然人）',
    text: '个人出租房子要代开发票，窗口说要房东本人来，房东是八十多岁的老人。',
    daysAgo: 7,
    steps: [{ move: { to: 'visited', handling: 'cannot', note: '匿名反映，正在核实代办政策' } }],
  },
  {
    dept: '县医疗保障局',
    subject: '医疗费用手工报销',
    text: '外地看病的发票交上去两个月了，还没报下来，打电话没人接。',
    daysAgo: 2,
    steps: [],
  },
  {
    dept: '县行政审批服务局',
    atDesk: true,
    subject: '民办非企业单位成立登记',
    text: '办养老服务中心，登记要业务主管单位同意，民政和卫健都说不归自己管。',
    daysAgo: 1,
    phone: true,
    steps: [],
  },
  {
    dept: '县公安局',
    subject: '居民身份证挂失补领',
    text: '身份证丢了，想在县里补，窗口说户口在乡下要回乡镇派出所。',
    daysAgo: 1,
    steps: [],
  },
  {
    dept: '县民政局',
    subject: '高龄津贴申领',
    text: '父亲满八十岁了，申请高龄津贴要他本人到场拍照，老人卧床来不了。',
    daysAgo: 1,
    steps: [],
  },
  {
    dept: '县不动产登记中心',
    subject: '不动产登记资料查询',
    text: '想查自己名下的房产，自助机查不到，窗口说要开介绍信。',
    daysAgo: 0,
    steps: [],
  },
];

interface ComplaintItem {
  channel: ComplaintChannel;
  /** A 12345 work order pushed by the 12345 platform's integration (else typed in by the supervisor). */
  pushed?: true;
  dept: string;
  /** Names the window (a code of the department). */
  window?: true;
  subject: string;
  text: string;
  daysAgo: number;
  phone?: true;
  steps: Step[];
}

const verify = (note: string): Step => ({ move: { to: 'visited', note } });
const rectify = (plan: string, measures: string): Step[] => [
  { move: { to: 'rectifying', note: plan } },
  { wait: 2 },
  { move: { to: 'rectified', note: measures } },
];
const explain = (note: string): Step => ({ move: { to: 'rectified', note } });
const revisit = (satisfaction: Satisfaction, note: string): Step => ({ move: { to: 'answered', satisfaction, note } });
const closeComplaint: Step = { move: { to: 'closed', note: '办结' } };

const COMPLAINTS: ComplaintItem[] = [
  {
    channel: '12345',
    pushed: true,
    dept: '县人力资源和社会保障局',
    subject: '社保窗口午间无人',
    text: '来电人反映中午 12 点到 1 点半社保窗口全部关闭，排到的号作废，要求午间不断档。',
    daysAgo: 57,
    phone: true,
    steps: [
      verify('调取监控核实，午间确无人值守'),
      ...rectify('安排午间轮班', '社保窗口实行午间轮班，12:00–13:30 至少开放 2 个窗口'),
      revisit('satisfied', '已回访来电人'),
      closeComplaint,
    ],
  },
  {
    channel: 'phone',
    dept: '县不动产登记中心',
    window: true,
    subject: '抵押登记材料反复退回',
    text: '群众来电投诉办理抵押登记时材料被退回三次，每次只说一个问题。',
    daysAgo: 54,
    phone: true,
    steps: [
      verify('核实属实，窗口未一次性告知'),
      ...rectify('开展一次性告知专项整改', '印发抵押登记材料清单，窗口人员培训并纳入考核'),
      revisit('basic', '已电话回访'),
      closeComplaint,
    ],
  },
  {
    channel: 'mailbox',
    dept: '县行政审批服务局',
    subject: '大厅取号机故障',
    text: '意见箱信件：大厅 2 号取号机屏幕坏了一个多星期没人修，老人只能排两次队。',
    daysAgo: 50,
    steps: [
      verify('现场核实属实'),
      ...rectify('联系厂家维修', '取号机已更换屏幕，建立设备每日巡检制度'),
      revisit('satisfied', '信件未留联系方式，整改结果在大厅公示'),
      closeComplaint,
    ],
  },
  {
    channel: '12345',
    dept: '县税务局',
    subject: '电子税务局申报异常',
    text: '12345 工单：企业反映电子税务局申报时反复提示系统错误，打办税热线占线。',
    daysAgo: 45,
    phone: true,
    steps: [
      verify('核实为省局系统升级期间的临时故障'),
      explain('系统故障已于当日修复，逾期申报不予处罚，已告知企业可正常申报'),
      revisit('satisfied', '已回访企业财务人员'),
      closeComplaint,
    ],
  },
  {
    channel: 'letter',
    dept: '县住房和城乡建设局',
    subject: '物业维修资金使用审批慢',
    text: '来信：小区电梯坏了申请维修资金，审批两个月还没下来，老人上下楼困难。',
    daysAgo: 42,
    steps: [
      verify('核实审批超时'),
      ...rectify('启动维修资金应急使用程序', '电梯维修资金已按应急程序拨付，电梯恢复运行；审批时限压缩至 10 个工作日'),
      revisit('satisfied', '走访小区业委会'),
      closeComplaint,
    ],
  },
  {
    channel: '12345',
    pushed: true,
    dept: '县公安局',
    window: true,
    subject: '户籍窗口工作人员态度差',
    text: '来电人反映户籍窗口工作人员办理时玩手机，询问时态度生硬。',
    daysAgo: 37,
    phone: true,
    steps: [
      verify('调取监控核实属实'),
      ...rectify('对当事人批评教育', '当事人作书面检查，户政大厅开展服务礼仪培训，手机统一存放'),
      revisit('basic', '已回访来电人'),
      closeComplaint,
    ],
  },
  {
    channel: 'phone',
    dept: '县医疗保障局',
    subject: '报销进度查询难',
    text: '群众来电称医保报销递交一个月，电话查询总说“在走流程”，不知道卡在哪里。',
    daysAgo: 31,
    steps: [
      verify('核实报销在审核环节'),
      explain('报销材料需外地医院核实，已加急；今后可在医保服务平台查询每个环节进度'),
      revisit('satisfied', '已回访'),
      closeComplaint,
    ],
  },
  {
    channel: 'mailbox',
    dept: '县市场监督管理局',
    subject: '个体户登记要求不一',
    text: '意见箱信件：同样办个体户，两个窗口要的材料不一样。',
    daysAgo: 10,
    steps: [
      verify('核实属实'),
      ...rectify('统一材料清单', '统一个体户登记材料清单，上墙公示并更新办事指南'),
      revisit('basic', '信件未留联系方式，整改结果在大厅公示'),
    ],
  },
  {
    channel: '12345',
    dept: '县住房公积金管理中心',
    subject: '公积金贷款审批超时',
    text: '12345 工单：群众反映公积金贷款申请 20 个工作日仍未审批，影响购房交易。',
    daysAgo: 12,
    phone: true,
    steps: [verify('核实审批超过承诺时限'), { move: { to: 'rectifying', note: '督促 3 个工作日内完成审批' } }],
  },
  {
    channel: 'letter',
    dept: '县民政局',
    subject: '婚姻登记预约难',
    text: '来访：想在特殊日期登记，网上预约一放号就满，现场也不给办。',
    daysAgo: 18,
    steps: [verify('核实预约号源不足'), explain('特殊日期已增加号源并开放现场预约，具体安排在婚姻登记处公告')],
  },
  {
    channel: 'phone',
    dept: '县交通运输局',
    window: true,
    subject: '从业资格证换证排队',
    text: '群众来电称从业资格证换证窗口只有一人，排队两个多小时。',
    daysAgo: 13,
    phone: true,
    steps: [verify('核实高峰期窗口不足')],
  },
  {
    channel: '12345',
    pushed: true,
    dept: '县自然资源局',
    subject: '规划许可办理进度不明',
    text: '来电人反映建设工程规划许可申请提交后无人联系，也查不到进度。',
    daysAgo: 8,
    phone: true,
    steps: [],
  },
  {
    channel: 'mailbox',
    dept: '县人力资源和社会保障局',
    subject: '退休审批材料',
    text: '意见箱信件：办理退休要提供十几年前的招工表，档案里找不到。',
    daysAgo: 2,
    steps: [],
  },
  {
    channel: '12345',
    dept: '县卫生健康委员会',
    subject: '诊所备案咨询无人接听',
    text: '12345 工单：群众反映卫健委公布的诊所备案咨询电话连续三天无人接听。',
    daysAgo: 1,
    steps: [],
  },
  {
    channel: 'phone',
    dept: '县不动产登记中心',
    subject: '自助查询机停用',
    text: '群众来电称不动产自助查询机一直显示“维护中”。',
    daysAgo: 1,
    steps: [],
  },
];

interface ObservationItem {
  /** An observer of DEMO_OBSERVERS (index), or a staff member's 走流程. */
  by: number | 'head' | 'supervisor';
  dept: string;
  daysAgo: number;
  text: string;
  /** Names a 办件 of the department finished that day. */
  matter?: true;
  steps: Step[];
}

const respond = (note: string, by?: 'head'): Step => ({ move: { to: 'rectified', note }, ...(by ? { by } : {}) });
const closeObservation: Step = { move: { to: 'closed', note: '答复到位，办结' } };

const OBSERVATIONS: ObservationItem[] = [
  {
    by: 0,
    dept: '县不动产登记中心',
    daysAgo: 55,
    text: '上午 10 点，等候区 40 多人，只开了 3 个窗口，另有 2 个窗口挂“暂停服务”牌，工作人员在后台聊天。',
    steps: [respond('已核实，对暂停服务的 2 名工作人员通报批评；实行弹性窗口，等候超过 20 人自动增开。'), closeObservation],
  },
  {
    by: 1,
    dept: '县公安局',
    daysAgo: 47,
    text: '出入境窗口办护照，工作人员主动告知可以网上预约，并帮助一位老人填表，服务很好。',
    steps: [respond('感谢监督，已对窗口人员通报表扬。'), closeObservation],
  },
  {
    by: 2,
    dept: '县市场监督管理局',
    daysAgo: 40,
    matter: true,
    text: '陪同一家企业办理营业执照变更，窗口要求提供章程修正案原件和复印件各一份，复印件可在系统中调取，增加了企业负担。',
    steps: [
      respond('复印件要求已取消，窗口改为系统调取。'),
      { move: { to: 'open', note: '答复未说明是否在全部窗口执行，请补充' } },
      respond('已在全部登记窗口和办事指南中取消复印件要求，并抽查执行情况。'),
      closeObservation,
    ],
  },
  {
    by: 0,
    dept: '县人力资源和社会保障局',
    daysAgo: 33,
    text: '社保窗口午间 12:10 仍有 2 个窗口在办理，取号机提示清楚，比上次来改进明显。',
    steps: [respond('感谢肯定，午间轮班制度将长期坚持。', 'head'), closeObservation],
  },
  {
    by: 1,
    dept: '县医疗保障局',
    daysAgo: 9,
    text: '医保报销窗口前没有座椅，老人站着排队半个多小时；饮水机没有水。',
    steps: [respond('已增设 24 个座椅和 1 台饮水机，安排专人每日检查。')],
  },
  {
    by: 2,
    dept: '县税务局',
    daysAgo: 7,
    matter: true,
    text: '办理发票领用，自助办税机两台中有一台故障，无人引导，纳税人只能到人工窗口排队。',
    steps: [respond('故障设备已维修，自助办税区增设一名导税员。')],
  },
  {
    by: 0,
    dept: '县民政局',
    daysAgo: 3,
    text: '婚姻登记处颁证室已启用，环境整洁；但门口没有无障碍坡道，轮椅进不去。',
    steps: [],
  },
  {
    by: 1,
    dept: '县行政审批服务局',
    daysAgo: 2,
    text: '帮办代办窗口人员不在岗，桌上留了电话，打过去 10 分钟后才回来。',
    steps: [],
  },
  {
    by: 'head',
    dept: '县人力资源和社会保障局',
    daysAgo: 30,
    text: '一把手走流程：以群众身份办理失业保险金申领，材料一次齐全即可办，但线上申请页面“下一步”按钮在手机上被遮挡。',
    steps: [respond('已联系系统开发方修复手机页面显示问题，并在窗口张贴二维码指引。', 'head'), closeObservation],
  },
  {
    by: 'supervisor',
    dept: '县不动产登记中心',
    daysAgo: 10,
    text: '一把手走流程：体验存量房转移登记，税费与登记一窗受理顺畅，但缴税后领证仍需到另一楼层取号。',
    steps: [respond('已将发证窗口调整到同一区域，缴税后直接在原窗口领证。')],
  },
];

const PAPER_COMMENTS = ['工作人员很耐心', '一次办好，很满意', '老人办事有人帮忙', '等的时间有点长', '希望多开一个窗口', ''];
/** 纸质问卷: the windows whose questionnaire box the supervisor empties every week or so (rotating). */
const PAPER_DEPARTMENTS = ['县民政局', '县退役军人事务局', '县残疾人联合会', '县医疗保障局'];
const PAPER_BATCHES = [8, 7, 8, 7, 8, 7, 8, 7];

export interface DemoOtherWaysResult {
  reports: number;
  complaints: number;
  paper: number;
  observations: number;
  walkthroughs: number;
}

export async function seedDemoOtherWays(
  services: Services,
  db: Db,
  clock: { set(ms: number): void; now(): number },
  opts: { now: number; supervisor: Actor },
): Promise<DemoOtherWaysResult> {
  const result: DemoOtherWaysResult = { reports: 0, complaints: 0, paper: 0, observations: 0, walkthroughs: 0 };
  const { supervisor, now } = opts;
  const actorOf = async (username: string) => {
    const row = await findUserByUsername(db, username);
    return row ? services.auth.resolveActor(row.id) : null;
  };
  const admin = await actorOf(DEMO_USERS.admin.username);
  const head = await actorOf(DEMO_USERS.head.username);
  const observers: Actor[] = [];
  for (const o of DEMO_OBSERVERS) {
    const a = await actorOf(o.username);
    if (a) observers.push(a);
  }
  if (!admin || !head) return result;
  const rand = seededRandom('示例县其他渠道');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const cal = services.settings.calendar();
  const deptIds = new Map((await services.org.listDepartments(admin)).map((d) => [d.name, d.id]));
  const deptId = (name: string) => {
    const id = deptIds.get(name);
    if (id === undefined) throw new Error(`demo: no department ${name}`);
    return id;
  };
  const allCodes = (await services.codes.list(admin, { active: true })).codes;
  const windowsOf = (name: string) => {
    const id = deptId(name);
    const own = allCodes.filter((c) => c.departmentId === id);
    const windows = own.filter((c) => /\d号窗口$/.test(c.location));
    return windows.length ? windows : own;
  };
  const desk = allCodes.find((c) => c.location.includes('“办不成事”反映窗口'))!;
  const phone = () => `1${pick(['38', '39', '58', '86', '77'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
  const latest = now - HOUR;
  /**
   * A time in office hours on the working day `daysAgo` days before now, or the working day before it
   * (a weekend, or a time not yet come: today before the hall has been open a while).
   */
  const dayTime = (daysAgo: number): number => {
    const offset = Math.floor(rand() * 7.5 * HOUR);
    let day = chinaDay(now - daysAgo * DAY);
    const at = (d: string) => Date.parse(`${d}T09:00:00+08:00`) + offset;
    while (!cal.isWorkingDay(day) || at(day) > latest - 2 * HOUR) day = chinaDay(Date.parse(`${day}T12:00:00+08:00`) - DAY);
    return at(day);
  };
  /** A time on the n-th working day after `t` (the same day for 0), never before t nor after now. */
  const after = (t: number, n: number): number => {
    const day = cal.addWorkingDays(chinaDay(t), n);
    const at = Date.parse(`${day}T09:00:00+08:00`) + Math.floor(rand() * 7.5 * HOUR);
    return Math.max(at, t + 10 * 60_000);
  };

  /** Runs a case's steps one working day apart; stops at the first that would fall after now (in progress). */
  const run = async (caseId: number, opened: number, steps: Step[]) => {
    let t = opened;
    let gap = 1;
    for (const step of steps) {
      if ('wait' in step) {
        gap = step.wait;
        continue;
      }
      t = after(t, gap);
      gap = 1;
      if (t > latest) return;
      clock.set(t);
      if ('move' in step) await services.cases.transition(step.by === 'head' ? head : supervisor, caseId, step.move);
      else if ('add' in step) await services.cases.addDepartment(supervisor, caseId, deptId(step.add));
      else if (head.departmentIds.has(deptId(step.part))) await services.cases.recordPart(head, caseId, deptId(step.part), step.note);
      else await services.cases.recordPart(supervisor, caseId, deptId(step.part), step.note);
    }
  };

  // 办不成事: a citizen's report at a window's code (or the 反映窗口's own), as POST /api/public/reports.
  // Each list in the order things happened, so a day's case numbers follow the clock.
  const inOrder = <T extends { daysAgo: number }>(items: readonly T[]) =>
    items.map((item) => ({ item, at: dayTime(item.daysAgo) })).sort((a, b) => a.at - b.at);
  for (const { item: r, at } of inOrder(REPORTS)) {
    clock.set(at);
    const code = r.atDesk ? desk : pick(windowsOf(r.dept));
    const opened = await services.cases.openReport({
      code: code.code,
      subject: r.subject,
      description: r.text,
      ...(r.phone ? { phone: phone(), consent: true } : {}),
    });
    const row = (await getPublicCaseByToken(db, opened.statusUrl.slice('/s/'.length)))!;
    await run(row.id, at, r.steps);
    result.reports++;
  }

  // 投诉 and 12345: typed in by the supervisor (its channel, the day received), or pushed by the 12345
  // platform as a work order with its own key.
  clock.set(now - 60 * DAY);
  const { apiKey } = await services.integrations.create(admin, { name: '示例县12345政务服务便民热线平台' });
  const hotline = (await services.integrations.resolveKey(apiKey))!;
  let order = 0;
  for (const { item: c, at } of inOrder(COMPLAINTS)) {
    clock.set(at);
    const receivedOn = chinaDay(at);
    const departmentId = deptId(c.dept);
    const code = c.window ? pick(windowsOf(c.dept)).code : undefined;
    const orderNo =
      c.channel === '12345' ? `ZW${receivedOn.replaceAll('-', '')}${String(3100 + ++order * 37).padStart(5, '0')}` : undefined;
    const tel = c.phone ? phone() : undefined;
    const opened = c.pushed
      ? await services.cases.openWorkOrder(hotline, {
          orderNo: orderNo!,
          departmentId,
          code,
          subject: c.subject,
          description: c.text,
          phone: tel,
          receivedAt: receivedOn,
        })
      : await services.cases.enterComplaint(supervisor, {
          channel: c.channel,
          departmentId,
          code,
          subject: c.subject,
          description: c.text,
          phone: tel,
          consent: tel !== undefined,
          receivedOn,
          orderNo,
        });
    await run(opened.id, at, c.steps);
    result.complaints++;
  }

  // 纸质问卷: every week or so the supervisor types in a window's questionnaire box (POST /api/ratings/paper),
  // forms dated over the days before; a 差评 among them opens its case, followed up like the others.
  const paperCases: Array<{ caseId: number; at: number }> = [];
  for (const [b, size] of PAPER_BATCHES.entries()) {
    const dept = PAPER_DEPARTMENTS[b % PAPER_DEPARTMENTS.length]!;
    const code = pick(windowsOf(dept));
    const enteredAt = dayTime(56 - b * 7);
    // Forms are taken from the day the window's code was put up (a demo seeded without history: today).
    if (chinaDay(code.createdAt) > chinaDay(enteredAt)) continue;
    const { tags } = await services.settings.forDepartment(code.departmentId);
    const entries = [];
    for (let i = 0; i < size; i++) {
      const r = rand();
      const score = (r < 0.62 ? 5 : r < 0.82 ? 4 : r < 0.92 ? 3 : r < 0.97 ? 2 : 1) as Score;
      const bad = score <= 2;
      // Dated over the days before, none before the code was put up.
      const date = chinaDay(Math.max(enteredAt - Math.floor(rand() * 6) * DAY, code.createdAt));
      const comment = rand() < 0.35 ? pick(PAPER_COMMENTS) : '';
      entries.push({
        score,
        tags: rand() < 0.6 || bad ? [pick(bad ? tags.bad : tags.good)] : [],
        ...(comment ? { comment } : {}),
        date,
      });
    }
    clock.set(enteredAt);
    const entered = await services.ratings.enter(supervisor, { code: code.code, channel: 'paper', entries });
    result.paper += entered.ids.length;
    for (const c of entered.cases) {
      const opened = (await listCasesOfRating(db, entered.ids[c.index]!)).find((k) => k.caseNo === c.caseNo)!;
      paperCases.push({ caseId: opened.id, at: enteredAt });
    }
  }
  for (const { caseId, at } of paperCases) {
    await run(caseId, at, [
      { move: { to: 'visited', classification: 'valid', note: '纸质问卷未留联系方式，已调取窗口记录核实' } },
      { move: { to: 'rectifying', note: '立行立改' } },
      { wait: 3 },
      { move: { to: 'rectified', note: '对窗口人员开展服务礼仪培训，高峰期增开窗口' } },
      { move: { to: 'answered', satisfaction: 'basic', note: '整改结果在窗口公示' } },
      { move: { to: 'closed', note: '办结' } },
    ]);
  }

  // 特邀监督员 and 一把手走流程: a report of what they saw at a window (POST /api/observations).
  for (const { item: o, at } of inOrder(OBSERVATIONS)) {
    const by = o.by === 'head' ? head : o.by === 'supervisor' ? supervisor : observers[o.by];
    if (!by) continue;
    const observedOn = chinaDay(at - (rand() < 0.5 ? DAY : 0));
    const departmentId = deptId(o.dept);
    let projectNo: string | undefined;
    if (o.matter) {
      const day = chinaDay(at);
      const found = await services.matters.list(supervisor, { departmentId, from: observedOn, to: day, limit: 1, offset: 0 });
      projectNo = found.matters[0]?.projectNo;
    }
    clock.set(at);
    const filed = await services.cases.fileObservation(by, {
      departmentId,
      code: pick(windowsOf(o.dept)).code,
      observedOn,
      description: o.text,
      ...(projectNo ? { projectNo } : {}),
    });
    await run(filed.id, at, o.steps);
    if (typeof o.by === 'number') result.observations++;
    else result.walkthroughs++;
  }
  clock.set(now);
  return result;
}
