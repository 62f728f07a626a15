// 上报运行情况 (administrators, REPORT_URL set): what the delivery to the provincial system is doing —
// the receiver, the backlog, posts per day, the receiver's last errors, the records waiting and why,
// the dead letters with their resend — then the daily reconciliation (docs/operations.md 上报运行与对账).
import type { OutboxStatusResponse } from '../../../../shared/api/reporting.js';
import { api } from '../../../shared/api.js';
import { ColumnHeads, num } from '../../../shared/ColumnHeads.js';
import { formatTime } from '../cases/types.js';
import { ErrorText } from '../ErrorText.js';
import { int } from '../stats/format.js';
import { useAction } from '../use-action.js';
import { useApi } from '../use-api.js';
import { ReconcileView } from './ReconcileView.js';
import { fixesFor } from './waiting-fixes.js';
import './reporting.css';

type Status = OutboxStatusResponse;
type OutboxRecord = Status['deadLetters'][number];

const SIGNATURES: Record<string, string> = { 'hmac-sha256': 'HMAC-SHA256', 'hmac-sm3': 'HMAC-SM3', sm2: 'SM2' };

/** How long since `ms`, in the largest unit that fits: "3 小时", "2 天"… */
function waitedFor(ms: number, now = Date.now()): string {
  const minutes = Math.floor(Math.max(0, now - ms) / 60_000);
  if (minutes < 1) return '不到 1 分钟';
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} 小时` : `${Math.floor(hours / 24)} 天`;
}

/** The receiver's answer without the "HTTP 500：" the 状态 column already says (delivery.ts writes it so). */
function withoutStatus(answer: string | null, status: number | null): string {
  const said = `HTTP ${status}`;
  if (answer === null) return '';
  if (status === null || !answer.startsWith(said)) return answer;
  return answer.slice(said.length).replace(/^[：:]\s*/, '');
}

/** The operator part of the 数据上报 page; only an administrator's page shows it (the routes answer 403 to others). */
export function OutboxView() {
  const status = useApi<Status>('/api/reports/outbox');
  const data = status.data;
  return (
    <section class="outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">上报运行情况</h2>
      <ErrorText message={status.error} />
      {!data ? (
        !status.error && <p class="muted">加载中…</p>
      ) : !data.enabled ? (
        <p class="card" data-testid="report-off">
          未配置省级上报地址 REPORT_URL：记录不推送，可按月导出文件上传；配置方法见
          运维文档（docs/operations.md「配置」「上报运行与对账」）。
        </p>
      ) : (
        <>
          <Receiver data={data} />
          <Backlog data={data} />
          <Days days={data.days} />
          <LastErrors errors={data.lastErrors} />
          <Waiting data={data} />
          <DeadLetters data={data} reload={status.reload} />
          <ReconcileView />
        </>
      )}
    </section>
  );
}

function Receiver({ data }: { data: Status }) {
  const r = data.receiver;
  const last = data.lastPost;
  return (
    <div class="card receiver">
      {r && (
        <p>
          接收地址 <code class="wrap">{r.host}</code> · appId <code class="wrap">{r.appId}</code> · 签名方式{' '}
          {SIGNATURES[r.signature] ?? r.signature} · 死信时限 {r.deadAfterHours} 小时
        </p>
      )}
      <p data-testid="last-post">
        最近一次推送：
        {last ? (
          <>
            <span class="when">{formatTime(last.at)}</span>{' '}
            {last.acked ? <span class="badge ok">成功</span> : <span class="badge bad">失败</span>}
            {last.answer && <span class="answer"> {last.answer}</span>}
          </>
        ) : (
          <span class="muted">尚未推送</span>
        )}
      </p>
    </div>
  );
}

function Backlog({ data }: { data: Status }) {
  const b = data.backlog;
  const tiles = [
    {
      key: 'pending',
      label: '待推送',
      value: b.pending,
      detail: b.oldestPendingAt !== null ? `最早一条已等待 ${waitedFor(b.oldestPendingAt)}` : '含正在推送、等待重试的',
    },
    { key: 'waiting', label: '暂缓', value: b.waiting, detail: '缺少代码或评价待审核，补齐后自动推送' },
    { key: 'dead', label: '死信', value: b.dead, detail: '持续失败超过死信时限，需人工重发', warn: b.dead > 0 },
    { key: 'acked', label: '已确认', value: b.acked, detail: '省级系统已确认收到' },
    { key: 'dropped', label: '不上报', value: b.dropped, detail: '评价已剔除，不再上报' },
  ];
  return (
    <ul class="grid kpis outbox-tiles" aria-label="上报队列">
      {tiles.map((t) => (
        <li key={t.key} class={t.warn ? 'kpi warn' : 'kpi'} data-testid={`backlog-${t.key}`}>
          <span class="k">{t.label}</span>
          <span class="v">{int(t.value)}</span>
          <span class="d">{t.detail}</span>
        </li>
      ))}
    </ul>
  );
}

function Days({ days }: { days: Status['days'] }) {
  return (
    <>
      <h3>近 14 天推送</h3>
      {days.length === 0 ? (
        <p class="empty">近 14 天没有推送。</p>
      ) : (
        <>
          <table class="data cards outbox-days">
            <ColumnHeads columns={['日期', num('推送次数'), num('推送记录'), num('已确认'), num('失败')]} />
            <tbody>
              {days.map((d) => (
                <tr key={d.day} data-testid="post-day">
                  <th scope="row" class="when">
                    {d.day}
                  </th>
                  <td class="num" data-label="推送次数">
                    {int(d.posts)}
                  </td>
                  <td class="num" data-label="推送记录">
                    {int(d.sent)}
                  </td>
                  <td class="num" data-label="已确认">
                    {int(d.acked)}
                  </td>
                  <td class="num" data-label="失败">
                    {d.failed > 0 ? <strong class="bad">{int(d.failed)}</strong> : int(d.failed)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">推送记录按次累计：同一条记录重试几次就计几次。未列出的日期没有推送。</p>
        </>
      )}
    </>
  );
}

function LastErrors({ errors }: { errors: Status['lastErrors'] }) {
  return (
    <>
      <h3>接收方最近的错误</h3>
      {errors.length === 0 ? (
        <p class="empty">近期没有失败的推送。</p>
      ) : (
        <table class="data cards outbox-errors">
          <ColumnHeads columns={['时间', num('记录数'), '状态', '应答']} />
          <tbody>
            {errors.map((e, i) => (
              <tr key={`${e.at}-${i}`} data-testid="receiver-error">
                <th scope="row" class="when">
                  {formatTime(e.at)}
                </th>
                <td class="num" data-label="记录数">
                  {int(e.records)}
                </td>
                <td data-label="状态" class="nowrap">
                  {e.status === null ? '无应答' : `HTTP ${e.status}`}
                </td>
                <td data-label="应答" class="answer">
                  {withoutStatus(e.answer, e.status) || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** What to do about a waiting record's reason: a link to where the missing code is filled in, when there is one. */
function ReasonFixes({ reason, recordId }: { reason: string; recordId?: string }) {
  const fixes = fixesFor(reason, recordId);
  if (!fixes.length) return null;
  return (
    <span class="fixes">
      {fixes.map((f) => (
        <a key={f.text} href={f.href}>
          {f.text}
        </a>
      ))}
    </span>
  );
}

function Waiting({ data }: { data: Status }) {
  const total = data.backlog.waiting;
  return (
    <>
      <h3>暂缓上报（{int(total)} 条）</h3>
      {total === 0 ? (
        <p class="empty">没有暂缓的记录。</p>
      ) : (
        <>
          <ul class="reasons" aria-label="暂缓原因">
            {data.waitingReasons.map((r) => (
              <li key={r.reason}>
                {r.reason || '（未注明原因）'}：<strong>{int(r.count)}</strong> 条 <ReasonFixes reason={r.reason} />
              </li>
            ))}
          </ul>
          <p class="muted">
            补齐代码或裁决后，记录在下一次推送（最迟 1 小时内）自动发出。
            {total > data.waiting.length && `下表列出最早的 ${data.waiting.length} 条。`}
          </p>
          <RecordTable records={data.waiting} kind="waiting" />
        </>
      )}
    </>
  );
}

function DeadLetters({ data, reload }: { data: Status; reload: () => void }) {
  const total = data.backlog.dead;
  const action = useAction('重发失败');
  const resend = (recordIds: string[] | null, question: string) => {
    if (!confirm(question)) return;
    void action.run(async () => {
      const { resent } = await api<{ resent: number }>('/api/reports/outbox/resend', {
        method: 'POST',
        body: recordIds ? { recordIds } : {},
      });
      reload();
      return `已重新排入 ${int(resent)} 条${resent > 0 ? '，下一次推送时发出（记录内容不变）' : '（所选记录已不是死信）'}。`;
    });
  };
  return (
    <>
      <h3>死信（{int(total)} 条）</h3>
      {action.outcome && (
        <p role="status" class="card" data-testid="resend-outcome">
          {action.outcome}
        </p>
      )}
      {total === 0 ? (
        <p class="empty">没有死信。</p>
      ) : (
        <>
          <p class="toolbar">
            <span>
              持续失败超过 {data.receiver?.deadAfterHours ?? '—'} 小时的记录不再自动重试。排除故障（如接收方地址、密钥、代码）后重发：
            </span>
            <button
              type="button"
              class="primary"
              disabled={action.busy}
              onClick={() => resend(null, `重发全部 ${total} 条死信？记录内容不变，下一次推送时发出。`)}
            >
              全部重发
            </button>
          </p>
          {total > data.deadLetters.length && <p class="muted">下表列出最早的 {data.deadLetters.length} 条；「全部重发」重发全部死信。</p>}
          <RecordTable
            records={data.deadLetters}
            kind="dead"
            busy={action.busy}
            onResend={(r) => resend([r.recordId], `重发记录 ${r.recordId}？记录内容不变，下一次推送时发出。`)}
          />
        </>
      )}
    </>
  );
}

/** The first waiting records (why, and where to fix it) or dead letters (attempts, last answer, since when; 重发). */
function RecordTable({
  records,
  kind,
  busy,
  onResend,
}: {
  records: OutboxRecord[];
  kind: 'waiting' | 'dead';
  busy?: boolean;
  onResend?: (r: OutboxRecord) => void;
}) {
  const dead = kind === 'dead';
  const columns = dead
    ? ['记录编号', '部门', '日期', num('尝试次数'), '最后应答', '失败开始', '操作']
    : ['记录编号', '部门', '日期', '原因'];
  return (
    <table class={`data cards outbox-records ${kind}`}>
      <ColumnHeads columns={columns} />
      <tbody>
        {records.map((r) => (
          <tr key={r.recordId} data-testid={dead ? 'dead-letter' : 'waiting-record'}>
            <th scope="row" class="code-id-inline">
              {r.recordId}
            </th>
            <td data-label="部门">{r.departmentName}</td>
            <td data-label="日期" class="when">
              {r.day}
            </td>
            {dead ? (
              <>
                <td class="num" data-label="尝试次数">
                  {int(r.attempts)}
                </td>
                <td data-label="最后应答" class="answer">
                  {r.lastAnswer ?? '—'}
                </td>
                <td data-label="失败开始" class="when">
                  {r.firstFailedAt !== null ? formatTime(r.firstFailedAt) : '—'}
                </td>
                <td data-label="操作">
                  <button type="button" disabled={busy} onClick={() => onResend?.(r)} aria-label={`重发 ${r.recordId}`}>
                    重发
                  </button>
                </td>
              </>
            ) : (
              <td data-label="原因">
                {r.reason ?? '—'} <ReasonFixes reason={r.reason ?? ''} recordId={r.recordId} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
