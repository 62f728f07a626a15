import { useState } from 'preact/hooks';
import type { StaffSuggestionListT, StaffSuggestionT } from '../../../shared/api/suggestions.js';
import {
  SUGGESTION_CATEGORIES,
  SUGGESTION_DECISION_LABELS,
  SUGGESTION_DECISIONS,
  type SuggestionDecision,
} from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { LabelOptions, NamedOptions, SelectField } from '../components/Fields.js';
import { Pager } from '../components/Pager.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';

// 金点子 (docs/domain.md): the suggestions in the user's scope, newest first; each answered 采纳 / 部分采纳
// / 暂不采纳 with the reason (and what was done for the first two). An answer can be amended: every
// answer is kept in the audit log. Answered ones are published on the public page without personal data.

const PAGE = 20;

function AnswerForm({ s, onSaved }: { s: StaffSuggestionT; onSaved: () => void }) {
  const [decision, setDecision] = useState<SuggestionDecision | ''>(s.decision ?? '');
  const [reason, setReason] = useState(s.reason ?? '');
  const [action, setAction] = useState(s.action ?? '');
  const act = useAction('保存失败，请稍后再试');
  const id = `sg-${s.id}`;
  return (
    <form
      class="idea-answer"
      aria-label={`答复 ${s.suggestionNo}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!decision) return act.fail('请选择答复结果');
        void act.run(async () => {
          await api(`/api/suggestions/${s.id}/answer`, {
            method: 'POST',
            body: { decision, reason, ...(action.trim() ? { action } : {}) },
          });
          onSaved();
          return '已保存答复';
        });
      }}
    >
      <fieldset class="choices">
        <legend>答复结果</legend>
        {SUGGESTION_DECISIONS.map((d) => (
          <label class="check" key={d}>
            <input type="radio" name={`${id}-d`} value={d} checked={decision === d} onChange={() => setDecision(d)} />
            {SUGGESTION_DECISION_LABELS[d]}
          </label>
        ))}
      </fieldset>
      <label>
        答复理由
        <textarea rows={2} value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <label>
        采取的措施{decision === 'declined' ? '（可不填）' : '（采纳、部分采纳时必填）'}
        <textarea rows={2} value={action} onInput={(e) => setAction(e.currentTarget.value)} />
      </label>
      <p>
        <button class="primary" type="submit" disabled={act.busy}>
          {s.decision ? '保存修改' : '提交答复'}
        </button>
      </p>
      <ErrorText message={act.error} />
    </form>
  );
}

function SuggestionCard({ s, onSaved }: { s: StaffSuggestionT; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  return (
    <li class="card" data-testid="suggestion">
      <p>
        <strong>{s.title}</strong> <span class="muted">{s.suggestionNo}</span>
      </p>
      <p class="muted">
        {s.departmentName} · {s.category} · {s.submitterType} · {formatTime(s.createdAt)}
        {s.contactMasked && ` · 联系方式 ${s.contactMasked}`}
      </p>
      <p class="idea-content">{s.content}</p>
      {s.decision ? (
        <div>
          <p>
            <span class={`badge ${s.decision === 'declined' ? '' : 'ok'}`}>{SUGGESTION_DECISION_LABELS[s.decision]}</span> 答复：{s.reason}
          </p>
          {s.action && <p>措施：{s.action}</p>}
          <p class="muted">
            {s.answeredByName} · {s.answeredAt ? formatTime(s.answeredAt) : ''}
            {s.answerCount > 1 && `（已修改 ${s.answerCount - 1} 次）`}
          </p>
        </div>
      ) : (
        <p class="badge warn">待答复</p>
      )}
      {editing || !s.decision ? (
        <AnswerForm
          s={s}
          onSaved={() => {
            setEditing(false);
            onSaved();
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing(true)}>
          修改答复
        </button>
      )}
    </li>
  );
}

export function SuggestionsPage() {
  const [status, setStatus] = useState('pending');
  const [dept, setDept] = useState('');
  const [category, setCategory] = useState('');
  const [offset, setOffset] = useState(0);
  const departments = useApi<{ departments: { id: number; name: string }[] }>('/api/departments');
  const qs = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (status) qs.set('status', status);
  if (dept) qs.set('departmentId', dept);
  if (category) qs.set('category', category);
  const { data, error, loading, reload } = useApi<StaffSuggestionListT>(`/api/suggestions?${qs}`);
  const set = (fn: (v: string) => void) => (v: string) => {
    fn(v);
    setOffset(0);
  };
  return (
    <section>
      <h1>金点子</h1>
      <p class="muted">群众和企业提出的建议：逐条答复（采纳 / 部分采纳 / 暂不采纳），答复后在公示页公开（不含联系方式和提出人）。</p>
      {/* biome-ignore lint/a11y/useSemanticElements: as the cases page's filters */}
      <form class="toolbar" role="search" aria-label="筛选金点子" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="状态" value={status} onChange={set(setStatus)}>
          <option value="pending">待答复</option>
          <option value="answered">已答复</option>
          <option value="">全部</option>
        </SelectField>
        <SelectField label="部门" value={dept} onChange={set(setDept)}>
          <option value="">全部部门</option>
          <NamedOptions units={departments.data?.departments} />
        </SelectField>
        <SelectField label="类别" value={category} onChange={set(setCategory)}>
          <option value="">全部</option>
          <LabelOptions
            values={SUGGESTION_CATEGORIES}
            labels={Object.fromEntries(SUGGESTION_CATEGORIES.map((c) => [c, c])) as Record<string, string>}
          />
        </SelectField>
      </form>
      <ErrorText message={error} />
      {data && (
        <>
          <p class="muted" role="status">
            共 {data.total} 条{loading ? '（加载中…）' : ''}
          </p>
          {data.suggestions.length === 0 ? (
            <p class="empty">没有符合条件的建议。</p>
          ) : (
            <ul class="idea-cards">
              {data.suggestions.map((s) => (
                <SuggestionCard key={`${s.id}-${s.answerCount}`} s={s} onSaved={reload} />
              ))}
            </ul>
          )}
          <Pager total={data.total} offset={offset} pageSize={PAGE} onOffset={setOffset} />
        </>
      )}
    </section>
  );
}
