import { useEffect, useRef, useState } from 'preact/hooks';
import type { RatingDecisionBody } from '../../../../shared/api/ratings.js';
import { api } from '../../../shared/api.js';
import { ErrorText } from '../ErrorText.js';
import { int } from '../stats/format.js';
import { useAction } from '../use-action.js';

export type Decision = RatingDecisionBody['decision'];

/** A decision the supervisor asked for: on which ratings (ids, bursts or a filter), how many, described. */
export interface DecisionRequest {
  decision: Decision;
  target: Pick<RatingDecisionBody, 'ids' | 'groupIds' | 'filter'>;
  count: number;
  /** Which ratings, in words: 这一批（同一网络短时大量评价 · 某部门）, 所选的评价… */
  what: string;
}

export const DECISION_LABELS: Record<Decision, string> = { release: '计入', exclude: '排除' };

/**
 * Asks for the reason of a decision (required) and confirms how many ratings it affects, then posts it
 * (POST /api/ratings/decisions). A modal <dialog>: Esc or 取消 closes it without deciding.
 */
export function DecisionDialog({
  request,
  onClose,
  onDone,
}: {
  request: DecisionRequest;
  onClose: () => void;
  onDone: (decision: Decision, asked: number, affected: number) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const deciding = useAction('裁决失败，请检查网络后重试');
  const { decision, count } = request;
  const label = DECISION_LABELS[decision];
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const submit = deciding.onSubmit(async () => {
    if (!reason.trim()) return deciding.fail('请填写裁决理由');
    const res = await api<{ affected: number }>('/api/ratings/decisions', {
      method: 'POST',
      body: { ...request.target, decision, reason: reason.trim() },
    });
    onDone(decision, count, res.affected);
  });
  return (
    <dialog ref={ref} class="decision-dialog" aria-labelledby="decision-title" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="decision-title">{`${label} ${int(count)} 条评价`}</h2>
        <p>{request.what}</p>
        <p class={decision === 'exclude' ? 'warn-text' : undefined}>
          {decision === 'release'
            ? '计入后，这些评价从现在起计入各项指标、排名和导出。'
            : '排除后，这些评价永不计入任何指标、排名和导出（评价本身仍保存）。'}
          裁决记入每条评价的记录和审计日志，不能撤回。
        </p>
        <label class="reason">
          裁决理由（必填）
          <textarea required maxLength={500} rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <ErrorText message={deciding.error} />
        <div class="dialog-actions">
          <button type="button" onClick={() => ref.current?.close()}>
            取消
          </button>
          <button type="submit" class={decision === 'exclude' ? 'exclude' : 'release'} disabled={deciding.busy}>
            {deciding.busy ? '提交中…' : `确认${label} ${int(count)} 条`}
          </button>
        </div>
      </form>
    </dialog>
  );
}
