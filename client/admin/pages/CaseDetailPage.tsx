import { useEffect, useState } from 'preact/hooks';
import { CLASSIFICATION_LABELS, type Classification, SATISFACTION_LABELS, type Satisfaction } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { DeadlineBadge, waitingLabel } from '../components/cases/CaseTable.js';
import { MoveForm } from '../components/cases/MoveForm.js';
import { Timeline } from '../components/cases/Timeline.js';
import type { CaseDetail } from '../components/cases/types.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { NamedOptions, SelectField } from '../components/Fields.js';
import { RatingDecisions } from '../components/held/RatingDecisions.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';

function PhoneReveal({ c }: { c: CaseDetail }) {
  const [phone, setPhone] = useState<string | null>(null);
  const revealing = useAction('查看失败');
  useEffect(() => setPhone(null), [c.id]);
  if (c.rating.phoneErased) return <span class="muted">已按规定删除</span>;
  if (!c.rating.phoneMasked) return <span class="muted">匿名评价，未留号码</span>;
  const reveal = () => revealing.run(async () => setPhone((await api<{ phone: string }>(`/api/cases/${c.id}/phone`)).phone));
  return (
    <span>
      <span data-testid="phone">{phone ?? c.rating.phoneMasked}</span>
      {c.canViewPhone && !phone && (
        <button type="button" class="link" onClick={reveal}>
          查看完整号码
        </button>
      )}
      {phone && <span class="muted">（本次查看已记入审计日志）</span>}
      <ErrorText message={revealing.error} inline />
    </span>
  );
}

function AssignForm({ c, onDone }: { c: CaseDetail; onDone: (c: CaseDetail) => void }) {
  const { data } = useApi<{ users: { id: number; displayName: string; roleLabel: string }[] }>(`/api/cases/${c.id}/assignees`);
  const [officer, setOfficer] = useState('');
  const assigning = useAction('指派失败');
  const submit = assigning.onSubmit(async () =>
    onDone(await api<CaseDetail>(`/api/cases/${c.id}/assign`, { method: 'POST', body: { officerId: Number(officer) } })),
  );
  return (
    <form class="inline-form" onSubmit={submit}>
      <SelectField label="经办人" required value={officer} onChange={setOfficer}>
        <option value="">请选择</option>
        <NamedOptions units={data?.users.map((u) => ({ id: u.id, name: `${u.displayName}（${u.roleLabel}）` }))} />
      </SelectField>
      <button type="submit">{c.officerId ? '改派' : '指派'}</button>
      <ErrorText message={assigning.error} inline />
    </form>
  );
}

/** The 办件 the rating rates (一次一评): what the business system pushed; the applicant's mobile only masked. */
function MatterFacts({ m }: { m: NonNullable<CaseDetail['matter']> }) {
  return (
    <>
      <h2>办件</h2>
      <dl class="card facts" data-testid="case-matter">
        <dt>办件编号</dt>
        <dd class="code-line">
          <a href={`${BASE}/matters/${encodeURIComponent(m.projectNo)}`}>{m.projectNo}</a>
        </dd>
        <dt>事项</dt>
        <dd>
          {m.taskName}
          <span class="muted code-line">{m.taskCode}</span>
        </dd>
        <dt>办件经办人</dt>
        <dd>{m.staffName ?? '未登记'}</dd>
        <dt>申请人类型</dt>
        <dd>{m.applicantTypeLabel ?? '—'}</dd>
        {m.applicantPhoneMasked && (
          <>
            <dt>申请人手机</dt>
            <dd>{m.applicantPhoneMasked}</dd>
          </>
        )}
        {m.sourceLabel && (
          <>
            <dt>申请渠道</dt>
            <dd>{m.sourceLabel}</dd>
          </>
        )}
        <dt>办理状态</dt>
        <dd>{m.statusLabel}</dd>
        <dt>受理时间</dt>
        <dd>{formatTime(m.acceptedAt)}</dd>
        <dt>办结时间</dt>
        <dd>{m.finishedAt === null ? '—' : formatTime(m.finishedAt)}</dd>
        <dt>承诺办结日期</dt>
        <dd>{m.promisedDate ?? '—'}</dd>
      </dl>
    </>
  );
}

export function CaseDetailPage({ params, user }: PageProps) {
  const { data, error } = useApi<CaseDetail>(`/api/cases/${encodeURIComponent(params.id ?? '')}`);
  const [c, setC] = useState<CaseDetail | null>(null);
  useEffect(() => setC(data), [data]);
  if (error) {
    return (
      <section>
        <ErrorText message={error} />
        <a href={`${BASE}/cases`}>返回案件列表</a>
      </section>
    );
  }
  if (!c) return <p>加载中…</p>;
  const r = c.rating;
  return (
    <section>
      <p>
        <a href={`${BASE}/cases`}>← 案件列表</a>
      </p>
      <h1>
        {c.kindLabel} {c.caseNo}
      </h1>
      <p>
        状态：<strong data-testid="case-status">{c.statusLabel}</strong> <DeadlineBadge c={c} viewer={user.role} />
        {c.waitingOn && <span data-testid="case-waiting"> · 等待：{waitingLabel(c)}</span>}
        {c.escalated && <span class="badge bad">已督办</span>}
      </p>
      <div class="grid">
        <div class="kpi">
          <div class="k">回访期限</div>
          <div class="v">{c.contactDueDate}</div>
        </div>
        <div class="kpi">
          <div class="k">办结期限</div>
          <div class="v">{c.dueDate}</div>
        </div>
        <div class="kpi">
          <div class="k">经办人</div>
          <div class="v">{c.officerName ?? '未指派'}</div>
        </div>
      </div>

      <h2>评价</h2>
      <dl class="card facts">
        <dt>部门</dt>
        <dd>{c.departmentName}</dd>
        <dt>位置</dt>
        <dd>{r.location}</dd>
        <dt>评价</dt>
        <dd>
          {r.scoreLabel}
          {r.excluded && <span class="badge warn">已不计入统计</span>}
        </dd>
        {c.flood && (
          <>
            <dt>集中差评</dt>
            <dd data-testid="case-flood">
              同一网络短时间内的 {c.flood.ratingCount} 条差评合并为本件（暂扣待核查 {c.flood.heldCount} 条）
              {user.role !== 'dept_head' && (
                <>
                  {' · '}
                  <a href={`${BASE}/held?view=list&groupId=${c.flood.groupId}`}>查看这批评价</a>
                </>
              )}
            </dd>
          </>
        )}
        {(r.flagged || r.excluded) && (
          <>
            <dt>核查</dt>
            <dd>
              <RatingDecisions ratingId={r.id} />
            </dd>
          </>
        )}
        <dt>理由</dt>
        <dd>{r.tags.length ? r.tags.join('、') : '—'}</dd>
        <dt>留言</dt>
        <dd class="comment">{r.comment ?? '—'}</dd>
        <dt>评价时间</dt>
        <dd>{formatTime(r.createdAt)}</dd>
        <dt>评价渠道</dt>
        <dd data-testid="rating-channel">
          {r.channelLabel}
          {r.assessNumber !== null && `（${r.assessNumber === 1 ? '首次评价' : '追评'}）`}
          {r.superseded && <span class="badge warn">已被追评取代，不计入统计</span>}
        </dd>
        <dt>联系电话</dt>
        <dd>
          <PhoneReveal c={c} />
        </dd>
        {c.classification && (
          <>
            <dt>核实定性</dt>
            <dd>{CLASSIFICATION_LABELS[c.classification as Classification]}</dd>
          </>
        )}
        {c.satisfaction && (
          <>
            <dt>群众满意度</dt>
            <dd>{SATISFACTION_LABELS[c.satisfaction as Satisfaction]}</dd>
          </>
        )}
      </dl>

      {c.matter && <MatterFacts m={c.matter} />}

      {c.canAssign && <AssignForm c={c} onDone={setC} />}

      <h2>处理过程</h2>
      <Timeline events={c.events} />

      <h2>下一步</h2>
      {c.allowedMoves.length === 0 ? (
        <p class="muted">{c.status === 'closed' ? '案件已办结。' : '您当前没有可执行的操作。'}</p>
      ) : (
        <div class="moves">
          {c.allowedMoves.map((m) => (
            <MoveForm key={`${c.status}-${m.to}-${m.event}`} caseId={c.id} move={m} onDone={setC} />
          ))}
        </div>
      )}
    </section>
  );
}
