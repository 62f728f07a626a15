import { useState } from 'preact/hooks';
import type { MatterView, RatingLinkView } from '../../../shared/api/matters.js';
import {
  APPLICANT_TYPE_LABELS,
  MATTER_SOURCE_LABELS,
  MATTER_STATUS_LABELS,
  RATING_CHANNEL_LABELS,
  SCORE_LABELS,
  type Score,
} from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';
import { STATUS_BADGES } from './MattersPage.js';

/** What each one-time link of a 办件 is called, where it is made, and what it allows. */
const LINK_KINDS = {
  rating: { path: 'rating-link', name: '评价链接', rule: '每个办件一个链接，可首次评价一次、追评一次。' },
  report: { path: 'report-link', name: '办不成事反映链接', rule: '申请人可凭此链接反映一次“办不成事”，案件立在本部门。' },
} as const;

/**
 * The 办件's one-time link, its QR and the SMS text (administrators and supervisors): the rating link
 * of a finished one, the 办不成事 link of a rejected one.
 */
function RatingLink({ projectNo, kind = 'rating' }: { projectNo: string; kind?: keyof typeof LINK_KINDS }) {
  const k = LINK_KINDS[kind];
  const [link, setLink] = useState<RatingLinkView | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const getting = useAction(`获取${k.name}失败`);
  const get = () =>
    getting.run(async () =>
      setLink(await api<RatingLinkView>(`/api/matters/${encodeURIComponent(projectNo)}/${k.path}`, { method: 'POST' })),
    );
  async function copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`已复制${what}`);
    } catch {
      setCopied('无法自动复制，请手动选中复制');
    }
  }
  if (!link) {
    return (
      <p>
        <button type="button" onClick={get} disabled={getting.busy}>
          获取{k.name}
        </button>{' '}
        <ErrorText message={getting.error} inline />
      </p>
    );
  }
  return (
    <div class="card rating-link">
      <img
        class="link-qr"
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(link.qrSvg)}`}
        alt={`${k.name}二维码：${link.url}`}
        width={180}
        height={180}
      />
      <div>
        <p>
          <a href={link.url} target="_blank" rel="noreferrer" class="link-url">
            {link.url}
          </a>
        </p>
        <p class="muted">
          有效期至 {formatTime(link.expiresAt)}；{k.rule}
        </p>
        <p class="sms">
          <span class="muted">短信内容（由业务系统自己的短信通道发送）：</span>
          <br />
          {link.smsText}
        </p>
        <p class="row-actions">
          <button type="button" onClick={() => copy(link.url, '链接')}>
            复制链接
          </button>
          <button type="button" onClick={() => copy(link.smsText, '短信内容')}>
            复制短信内容
          </button>
          {copied && <span role="status">{copied}</span>}
        </p>
      </div>
    </div>
  );
}

/** A 办件: its facts as the business system pushed them, and the ratings bound to it. */
export function MatterDetailPage({ params, user }: PageProps) {
  const projectNo = params.projectNo ?? '';
  const { data: m, error } = useApi<MatterView>(`/api/matters/${encodeURIComponent(projectNo)}`);
  const back = <a href={`${BASE}/matters`}>← 办件列表</a>;
  if (error) {
    return (
      <section>
        <p>{back}</p>
        <ErrorText message={error} />
      </section>
    );
  }
  if (!m) return <p>加载中…</p>;
  const canLink = user.role === 'admin' || user.role === 'supervisor';
  return (
    <section>
      <p>{back}</p>
      <h1>办件 {m.projectNo}</h1>
      <p>
        <span class={`badge ${STATUS_BADGES[m.status]}`} data-testid="matter-status">
          {MATTER_STATUS_LABELS[m.status]}
        </span>
      </p>
      <dl class="card facts matter-facts">
        <dt>事项</dt>
        <dd>
          {m.taskName} <span class="muted">（{m.taskCode}）</span>
        </dd>
        <dt>部门</dt>
        <dd>{m.departmentName}</dd>
        <dt>窗口</dt>
        <dd>
          {m.location} <span class="muted code-id">{m.code}</span>
        </dd>
        <dt>经办人</dt>
        <dd>{m.staffName ?? '—'}</dd>
        <dt>申请人</dt>
        <dd>{m.applicantType ? APPLICANT_TYPE_LABELS[m.applicantType] : '—'}</dd>
        <dt>申请人手机</dt>
        <dd>{m.applicantPhoneErased ? <span class="muted">已按规定删除</span> : (m.applicantPhone ?? '—')}</dd>
        <dt>受理时间</dt>
        <dd>{formatTime(m.acceptedAt)}</dd>
        <dt>办结时间</dt>
        <dd>{m.finishedAt ? formatTime(m.finishedAt) : '—'}</dd>
        <dt>承诺办结</dt>
        <dd>{m.promisedDate ?? '—'}</dd>
        <dt>申办渠道</dt>
        <dd>{m.source ? MATTER_SOURCE_LABELS[m.source] : '—'}</dd>
      </dl>

      <h2>评价</h2>
      {m.ratings.length === 0 ? (
        <p class="muted">尚无评价。</p>
      ) : (
        // Narrow enough for a phone as it is: no sideways scrolling box (which a keyboard could not reach).
        <table class="data matter-ratings">
          <ColumnHeads columns={['评价', '渠道 · 时间']} />
          <tbody>
            {m.ratings.map((r) => (
              <tr key={r.id}>
                <td>
                  <span class="muted">{r.assessNumber === 1 ? '首次评价' : '追评'}</span> {SCORE_LABELS[r.score as Score] ?? r.score}
                  {r.superseded && (
                    <>
                      <br />
                      <span class="badge warn">已被追评取代，不计入统计</span>
                    </>
                  )}
                </td>
                <td>
                  {RATING_CHANNEL_LABELS[r.channel]}
                  <br />
                  <span class="muted">{formatTime(r.createdAt)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canLink && m.status === 'finished' && (
        <>
          <h2>评价链接</h2>
          <RatingLink projectNo={m.projectNo} />
        </>
      )}
      {m.status === 'rejected' && (
        <>
          <h2>办不成事</h2>
          {m.reportCase ? (
            <p data-testid="matter-report-case">
              申请人已反映，受理编号 <a href={`${BASE}/cases/${m.reportCase.id}`}>{m.reportCase.caseNo}</a>
            </p>
          ) : (
            <p class="muted">申请人尚未反映。</p>
          )}
          {canLink && !m.reportCase && <RatingLink projectNo={m.projectNo} kind="report" />}
        </>
      )}
    </section>
  );
}
