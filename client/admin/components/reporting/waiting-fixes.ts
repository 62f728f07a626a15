// Where a waiting record's reason is remedied: the reasons are the server's sentences (reporting/records.ts
// missingCodes, outbox.ts WAITING_FOR_REVIEW), joined by '；' when several; each known one gets a link.
import { BASE } from '../../router.js';

export interface Fix {
  href: string;
  text: string;
}

const FIXES: ReadonlyArray<readonly [RegExp, Fix]> = [
  [/统一社会信用代码/, { href: `${BASE}/departments`, text: '到「部门」填写信用代码' }],
  [/行政区划代码/, { href: `${BASE}/departments`, text: '到「部门」填写行政区划代码' }],
  [/评价详情代码/, { href: `${BASE}/settings`, text: '到「设置 › 数据上报代码」填写' }],
  [/待审核|暂扣/, { href: `${BASE}/held`, text: '到「待核查评价」裁决' }],
];

/** The links for a reason (none for one fixed elsewhere, e.g. a 办件's 事项编码 comes from its business system). */
export function fixesFor(reason: string, recordId?: string): Fix[] {
  const out: Fix[] = [];
  for (const part of reason.split('；')) {
    for (const [pattern, fix] of FIXES) if (pattern.test(part) && !out.some((f) => f.text === fix.text)) out.push(fix);
    // A 差评's outcome waits for its case's 核实结果: the case itself.
    const caseId = /^case-(\d+)$/.exec(recordId ?? '')?.[1];
    if (caseId && /核实结果/.test(part)) out.push({ href: `${BASE}/cases/${caseId}`, text: '打开案件' });
  }
  return out;
}
