// The demo county's 金点子 (docs/domain.md, 金点子): 20 suggestions of citizens, enterprises and
// deputies, most answered (so the public page shows answers and adoption rates), a few still pending.
// No contact is seeded (contacts are personal data, encrypted by the server). Seeded with the demo
// county (db/seed.ts), in its transaction.
import { MS_PER_DAY } from '../shared/china-time.js';
import type { SubmitterTypeName, SuggestionCategory, SuggestionDecision } from '../shared/domain.js';
import type { DbOrTx } from './client.js';
import { answerSuggestion, insertSuggestion } from './queries/suggestions.js';

/** [部门, 类别, 提出人, 标题, 内容, 几天前提出, 答复 (null: 待答复), 答复理由, 采取的措施] */
type Item = [string, SuggestionCategory, SubmitterTypeName, string, string, number, SuggestionDecision | null, string?, string?];

const ITEMS: Item[] = [
  [
    '县不动产登记中心',
    '流程优化',
    '群众',
    '二手房过户与水电气过户一并办理',
    '每次二手房过户后还要分别跑自来水、供电、燃气三个营业厅，建议在不动产窗口一并受理。',
    58,
    'adopted',
    '群众反映集中，具备联办条件',
    '已与县自来水公司、国网县供电公司、县燃气公司联合设立“不动产+水电气”联办窗口，一次提交材料，同步过户。',
  ],
  [
    '县公安局',
    '服务态度',
    '群众',
    '身份证窗口增加老年人引导',
    '办证大厅老人较多，不会用取号机，建议安排专人引导。',
    55,
    'adopted',
    '符合适老化服务要求',
    '户政大厅每天安排一名辅警在取号机旁引导，并设置“老年人优先”窗口。',
  ],
  [
    '县税务局',
    '信息化',
    '企业',
    '电子税务局增加发票开具操作视频',
    '新办企业会计不熟悉数电发票开具，建议在电子税务局首页放操作视频。',
    51,
    'adopted',
    '有助于减少咨询量',
    '已在电子税务局“办税指引”栏目上线 12 个数电发票操作短视频。',
  ],
  [
    '县人力资源和社会保障局',
    '流程优化',
    '人大代表',
    '灵活就业人员参保实现网上办',
    '灵活就业人员参保仍需到窗口填表，建议开通网上办理。',
    49,
    'partial',
    '省级系统已支持网上参保登记，缴费基数调整仍需核验',
    '参保登记已开通“豫事办”网上办理；缴费基数调整暂保留窗口办理，年内随省级系统升级开通。',
  ],
  [
    '县行政审批服务局',
    '流程优化',
    '企业',
    '餐饮店开办“一件事”一次办',
    '开餐馆要分别办营业执照、食品经营许可、消防、环评，建议合并为一件事。',
    46,
    'adopted',
    '已列入县“一件事一次办”清单',
    '开设“我要开餐馆”主题窗口，一表申请、一窗受理、并联审批，承诺 5 个工作日办结。',
  ],
  [
    '县医疗保障局',
    '环境设施',
    '群众',
    '医保窗口增设等候座椅',
    '医保报销窗口排队时间长，等候区座位不够。',
    43,
    'adopted',
    '等候区确实拥挤',
    '已增设 24 个座椅和 1 台饮水机，并延长午间服务时间。',
  ],
  [
    '县住房公积金管理中心',
    '信息化',
    '群众',
    '公积金提取到账短信提醒',
    '提取公积金后不知道什么时候到账，建议发短信告知。',
    40,
    'adopted',
    '技术上可行',
    '已开通提取审批、到账两个节点的短信提醒。',
  ],
  [
    '县市场监督管理局',
    '服务态度',
    '企业',
    '许可证变更一次告知所需材料',
    '办理食品经营许可变更时材料被退回两次，希望一次性告知。',
    38,
    'partial',
    '一次性告知制度已有，执行不到位',
    '已对窗口人员重新培训并印发材料清单；清单上线办事指南二维码，扫码可查。',
  ],
  [
    '县交通运输局',
    '流程优化',
    '企业',
    '道路运输证年审网上办理',
    '货车多，每年年审都要到窗口，建议网上年审。',
    36,
    'declined',
    '道路运输证年审按规定需查验车辆技术状况，目前无法全程网办',
    '已开通网上预约，到场查验时间缩短到半小时以内。',
  ],
  [
    '县民政局',
    '环境设施',
    '群众',
    '婚姻登记处增设颁证室',
    '结婚登记处环境简陋，建议布置颁证室，增加仪式感。',
    33,
    'adopted',
    '群众期待度高',
    '已改造一间颁证室，提供免费颁证仪式和合影服务。',
  ],
  [
    '县自然资源局',
    '信息化',
    '政协委员',
    '宅基地审批进度网上可查',
    '农户不清楚宅基地审批到了哪个环节，建议公开审批进度。',
    30,
    'partial',
    '乡镇环节尚未接入系统',
    '县级审批环节进度已可在政务服务网查询，乡镇环节年底前接入。',
  ],
  [
    '县卫生健康委员会',
    '流程优化',
    '群众',
    '出生医学证明在医院直接办',
    '孩子出生后还要到卫健窗口办出生证明，建议在产科医院直接办理。',
    28,
    'adopted',
    '符合“出生一件事”改革方向',
    '县人民医院、县妇幼保健院产科已设立办理点，出院前即可领取。',
  ],
  [
    '县教育局',
    '信息化',
    '群众',
    '学籍证明网上开具',
    '孩子转学要回原学校开学籍证明，建议网上开具。',
    25,
    'declined',
    '学籍证明开具权限在省级学籍系统，县里暂无法单独开通',
    '已向市教育局反映，并在窗口开通当天立等可取。',
  ],
  [
    '县退役军人事务局',
    '服务态度',
    '其他',
    '优抚对象上门服务',
    '部分优抚对象年事已高，行动不便，建议提供上门办理。',
    22,
    'adopted',
    '体现关爱',
    '已建立行动不便优抚对象台账，每月组织一次上门服务。',
  ],
  [
    '县城市管理局',
    '流程优化',
    '企业',
    '户外广告审批压缩时限',
    '店招审批要 10 个工作日，装修都等不起。',
    19,
    'partial',
    '安全审查环节不能省略',
    '对标准化店招实行告知承诺制，当场办结；大型户外广告承诺时限压缩到 5 个工作日。',
  ],
  [
    '县行政审批服务局',
    '环境设施',
    '群众',
    '大厅增设母婴室',
    '带孩子来办事不方便，建议在政务服务中心设置母婴室。',
    15,
    'adopted',
    '已纳入大厅改造计划',
    '二楼东侧母婴室已建成开放。',
  ],
  ['县公安局', '信息化', '群众', '驾驶证业务周末办理', '上班族工作日没时间，建议车管窗口周六上午开放。', 10, null],
  ['县税务局', '流程优化', '企业', '跨区域涉税事项报验网上一次办', '外出经营报验要来回跑，建议全程网上办。', 7, null],
  ['县人力资源和社会保障局', '服务态度', '群众', '社保卡窗口午间不断档', '中午 12 点到 2 点社保卡窗口没人，建议午间轮班。', 4, null],
  ['县不动产登记中心', '其他', '人大代表', '不动产登记信息查询向社区延伸', '建议在社区便民服务站开通不动产登记信息自助查询。', 2, null],
];

export async function seedDemoSuggestions(tx: DbOrTx, deptIds: ReadonlyMap<string, number>, now: number): Promise<number> {
  for (const [dept, category, submitterType, title, content, daysAgo, decision, reason, action] of ITEMS) {
    const departmentId = deptIds.get(dept);
    if (departmentId === undefined) throw new Error(`demo suggestions: no department ${dept}`);
    const createdAt = now - daysAgo * MS_PER_DAY;
    const id = await insertSuggestion(tx, {
      departmentId,
      codeId: null,
      category,
      title,
      content,
      submitterType,
      contactEnc: null,
      createdAt,
    });
    if (decision) {
      const answeredAt = createdAt + Math.min(daysAgo - 1, 7) * MS_PER_DAY;
      await answerSuggestion(tx, id, { decision, reason: reason ?? '', action: action ?? null, answeredAt, answeredBy: null });
    }
  }
  return ITEMS.length;
}
