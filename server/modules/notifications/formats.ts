// Message formats of the group robots: 企业微信 (WeCom) `markdown.content`, 钉钉 (DingTalk)
// `markdown.title` + `markdown.text`. No personal data: never a phone number, only a short excerpt
// of the comment with anything phone-like masked. And the URL a signed (加签) DingTalk robot is sent to.

import { createHmac } from 'node:crypto';
import type { CaseNoticeFacts } from '../../../db/queries/notifications.js';
import type { NotifyEvent, WebhookKind } from '../../../shared/api/notifications.js';
import { CASE_KIND_LABELS, type CaseKind, SCORE_LABELS, type Score } from '../../../shared/domain.js';
import { redactPhones } from '../../lib/redact.js';

export type WebhookPayload =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'markdown'; markdown: { title: string; text: string } };

const EXCERPT_CHARS = 60;
// Markdown and HTML markup, but the asterisks of a masked number (138****1234).
const MARKUP = /[<>[\]()_#`~|\\@!]|(?<!\d{3}\*{0,3})\*|\*(?!\*{0,3}\d{4})/g;

/** Citizen text made inert for robot markdown: one line, no markup, phone-like digits masked. */
export function plainExcerpt(text: string | null, max = EXCERPT_CHARS): string | null {
  if (!text) return null;
  // Masked before the markup goes (a number's asterisks survive it) and after (138(0013)8000).
  const line = redactPhones(text.replace(/[\r\n\t]+/g, ' '));
  const flat = redactPhones(line.replace(MARKUP, ' ').replace(/\s+/g, ' ').trim());
  if (!flat) return null;
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat;
}

interface Notice {
  title: string;
  lines: [string, string][];
}

function notice(event: NotifyEvent, f: CaseNoticeFacts, today: string): Notice {
  // A reported case (办不成事) has no score: its kind instead.
  const scoreLabel = f.score === null ? CASE_KIND_LABELS[f.kind as CaseKind] : (SCORE_LABELS[f.score as Score] ?? `${f.score} 分`);
  if (event === 'bad_rating') {
    const lines: [string, string][] = [
      ['案件编号', f.caseNo],
      ['部门', f.departmentName],
      ['位置', f.location],
      ['评价', scoreLabel],
      ['回访时限', f.contactDueDate],
      ['办结时限', f.dueDate],
    ];
    const excerpt = plainExcerpt(f.comment);
    if (excerpt) lines.push(['留言摘要', excerpt]);
    return { title: `差评必查：${f.departmentName} ${f.caseNo}`, lines };
  }
  const whole = f.dueDate < today;
  return {
    title: `案件超期：${f.departmentName} ${f.caseNo}`,
    lines: [
      ['案件编号', f.caseNo],
      ['部门', f.departmentName],
      ['位置', f.location],
      [f.score === null ? '类型' : '评价', scoreLabel],
      ['超期', whole ? `已超过办结时限（${f.dueDate}）` : `已超过回访时限（${f.contactDueDate}）`],
    ],
  };
}

export function buildPayload(kind: WebhookKind, event: NotifyEvent, facts: CaseNoticeFacts, today: string): WebhookPayload {
  const n = notice(event, facts, today);
  const heading = event === 'bad_rating' ? '差评必查提醒' : '案件超期督办';
  if (kind === 'wecom') {
    const content = [`**${heading}** <font color="warning">${n.lines[0]![1]}</font>`, ...n.lines.map(([k, v]) => `> ${k}：${v}`)].join(
      '\n',
    );
    return { msgtype: 'markdown', markdown: { content } };
  }
  // DingTalk markdown needs blank lines between paragraphs.
  const text = [`#### ${heading}`, ...n.lines.map(([k, v]) => `- ${k}：${v}`)].join('\n\n');
  return { msgtype: 'markdown', markdown: { title: n.title, text } };
}

/** A DingTalk 加签 secret as the robot's security settings show it: SEC and letters/digits. */
export const DINGTALK_SECRET = /^SEC[0-9A-Za-z]{16,197}$/;

/**
 * The URL of one request to a DingTalk robot with 加签 (自定义机器人安全设置): the stored URL (which
 * carries `access_token`) with `timestamp` (ms, now: DingTalk refuses one more than an hour off) and
 * `sign` = base64(HMAC-SHA256(key = secret, message = `${timestamp}\n${secret}`)), URL-encoded.
 */
export function signedDingTalkUrl(url: string, secret: string, now: number): string {
  const timestamp = String(now);
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const u = new URL(url);
  // set, not append: a URL pasted with an old timestamp and sign gets fresh ones instead of two of each.
  u.searchParams.set('timestamp', timestamp);
  u.searchParams.set('sign', sign);
  return u.toString();
}
