import { useEffect, useState } from 'preact/hooks';
import {
  CLASSIFICATION_LABELS,
  type Classification,
  SATISFACTION_LABELS,
  type Satisfaction,
  WALKTHROUGH_LABEL,
} from '../../../shared/domain.js';
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
  // A rating's phone, or a 办不成事 report's own.
  const held = c.report ?? c.rating;
  if (held?.phoneErased) return <span class="muted">已按规定删除</span>;
  if (!held?.phoneMasked) return <span class="muted">{c.report ? '反映人未留号码' : '匿名评价，未留号码'}</span>;
  const reveal = () => revealing.run(async () => setPhone((await api<{ phone: string }>(`/api/cases/${c.id}/phone`)).phone));
  return (
    <span>
      <span data-testid="phone">{phone ?? held.phoneMasked}</span>
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

/** 办不成事: what the citizen reported, and its classification. */
function ReportFacts({ c }: { c: CaseDetail }) {
  const rep = c.report!;
  return (
    <>
      <h2>群众反映</h2>
      <dl class="card facts" data-testid="case-report">
        <dt>部门</dt>
        <dd>{c.departmentName}</dd>
        <dt>窗口</dt>
        <dd>{c.location}</dd>
        <dt>事项</dt>
        <dd>{rep.subject ?? '未填写'}</dd>
        <dt>反映的情况</dt>
        <dd class="comment">{rep.description}</dd>
        <dt>反映时间</dt>
        <dd>{formatTime(c.createdAt)}</dd>
        <dt>联系电话</dt>
        <dd>
          <PhoneReveal c={c} />
        </dd>
        <dt>分类</dt>
        <dd data-testid="case-handling">{c.handlingLabel ?? '待分类（不能办 / 不好办 / 不给办）'}</dd>
        {c.satisfaction && (
          <>
            <dt>群众评价</dt>
            <dd>{SATISFACTION_LABELS[c.satisfaction as Satisfaction]}</dd>
          </>
        )}
      </dl>
    </>
  );
}

/** 监督报告: who filed it (an invited observer, or a staff member's 一把手走流程), the day seen, what they saw. */
function ObservationFacts({ c }: { c: CaseDetail }) {
  return (
    <>
      <h2>监督报告</h2>
      <dl class="card facts" data-testid="case-observation">
        <dt>部门</dt>
        <dd>{c.departmentName}</dd>
        <dt>窗口</dt>
        <dd>{c.location || '未指定窗口'}</dd>
        <dt>报告人</dt>
        <dd>
          {c.reporterName ?? '—'}{' '}
          {c.walkthrough ? <span class="badge warn">{WALKTHROUGH_LABEL}</span> : <span class="muted">（特邀监督员）</span>}
        </dd>
        <dt>看到的日期</dt>
        <dd>{c.observedOn ?? '—'}</dd>
        <dt>看到的情况</dt>
        <dd class="comment">{c.report?.description ?? '—'}</dd>
        <dt>办件编号</dt>
        <dd>
          {c.projectNo ? (
            <a class="code-line" href={`${BASE}/matters/${encodeURIComponent(c.projectNo)}`}>
              {c.projectNo}
            </a>
          ) : (
            '未填写'
          )}
        </dd>
        <dt>提交时间</dt>
        <dd>{formatTime(c.createdAt)}</dd>
      </dl>
    </>
  );
}

/** 不好办: the departments coordinated with, each one's part, and the forms to add one or record a part. */
function CoordinationParts({ c, onDone }: { c: CaseDetail; onDone: (c: CaseDetail) => void }) {
  const departments = useApi<{ departments: { id: number; name: string }[] }>(c.canCoordinate ? '/api/departments' : null);
  const [dept, setDept] = useState('');
  const [notes, setNotes] = useState<Record<number, string>>({});
  const adding = useAction('增加失败');
  const recording = useAction('记录失败');
  const add = adding.onSubmit(async () => {
    onDone(await api<CaseDetail>(`/api/cases/${c.id}/departments`, { method: 'POST', body: { departmentId: Number(dept) } }));
    setDept('');
  });
  const record = (departmentId: number) =>
    recording.onSubmit(async () =>
      onDone(
        await api<CaseDetail>(`/api/cases/${c.id}/parts`, { method: 'POST', body: { departmentId, note: notes[departmentId] ?? '' } }),
      ),
    );
  const taken = new Set([c.departmentId, ...c.parts.map((p) => p.departmentId)]);
  if (c.handling !== 'hard') return null;
  return (
    <>
      <h2>协调办理（不好办）</h2>
      <div class="card" data-testid="case-parts">
        {c.parts.length === 0 ? (
          <p class="muted">尚未增加协办部门。</p>
        ) : (
          <ul class="parts">
            {c.parts.map((p) => (
              <li key={p.departmentId}>
                <strong>{p.departmentName}</strong>
                {p.note ? (
                  <span>
                    ：{p.note}
                    <span class="muted">
                      （{p.byName ?? ''} {p.at !== null && formatTime(p.at)}）
                    </span>
                  </span>
                ) : (
                  <span class="badge warn">待记录</span>
                )}
                {c.partDepartmentIds.includes(p.departmentId) && !p.note && (
                  <form class="inline-form" onSubmit={record(p.departmentId)}>
                    <label>
                      本部门办理情况
                      <textarea
                        required
                        maxLength={2000}
                        value={notes[p.departmentId] ?? ''}
                        onInput={(e) => setNotes({ ...notes, [p.departmentId]: e.currentTarget.value })}
                      />
                    </label>
                    <button type="submit">记录</button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        <ErrorText message={recording.error} inline />
        {c.canCoordinate && (
          <form class="inline-form" onSubmit={add}>
            <SelectField label="增加协办部门" required value={dept} onChange={setDept}>
              <option value="">请选择</option>
              <NamedOptions units={departments.data?.departments.filter((d) => !taken.has(d.id))} />
            </SelectField>
            <button type="submit">增加</button>
            <ErrorText message={adding.error} inline />
          </form>
        )}
      </div>
    </>
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

/** Why the actor has no next step here: closed, or (不好办) waiting for coordinating departments' parts. */
function noMovesReason(c: CaseDetail): string {
  if (c.status === 'closed') return '案件已办结。';
  const pending = c.parts.filter((p) => p.note === null).map((p) => p.departmentName);
  if (c.status === 'rectifying' && pending.length > 0) {
    return `等待协办部门记录办理情况（${pending.join('、')}），之后才能记录办理结果。`;
  }
  return '您当前没有可执行的操作。';
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
          <div class="k">{c.kind === 'cannot_handle' || c.kind === 'observation' ? '答复期限' : '回访期限'}</div>
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

      {r ? (
        <>
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
        </>
      ) : c.kind === 'observation' ? (
        <ObservationFacts c={c} />
      ) : (
        <ReportFacts c={c} />
      )}
      <CoordinationParts c={c} onDone={setC} />

      {c.matter && <MatterFacts m={c.matter} />}

      {c.canAssign && <AssignForm c={c} onDone={setC} />}

      <h2>处理过程</h2>
      <Timeline events={c.events} />

      <h2>下一步</h2>
      {c.allowedMoves.length === 0 ? (
        <p class="muted" data-testid="no-moves">
          {noMovesReason(c)}
        </p>
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
