import { useState } from 'preact/hooks';
import { api } from '../../../shared/api.js';
import { ErrorText } from '../ErrorText.js';
import { useAction } from '../use-action.js';
import type { AllowedMove, CaseDetail } from './types.js';

/**
 * One next step of the workflow as a form: its fields (radios, note) and a button named after the
 * action (记录回访, 开始整改…), driven entirely by the server's `allowedMoves`.
 */
export function MoveForm({ caseId, move, onDone }: { caseId: number; move: AllowedMove; onDone: (c: CaseDetail) => void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const moving = useAction('提交失败，请重试');
  const id = (name: string) => `move-${move.to}-${move.event}-${name}`;

  function submit(e: Event) {
    e.preventDefault();
    const body: Record<string, unknown> = { to: move.to };
    for (const f of move.fields) {
      const v = values[f.name];
      if (v === undefined || v === '') {
        if (f.required) return moving.fail(`请填写「${f.label}」`);
        continue;
      }
      body[f.name] = f.type === 'boolean' ? v === 'true' : v;
    }
    void moving.run(async () => {
      onDone(await api<CaseDetail>(`/api/cases/${caseId}/transitions`, { method: 'POST', body }));
      setValues({});
    });
  }

  return (
    <form class="move-form card" onSubmit={submit}>
      <h3>{move.action}</h3>
      {move.fields.map((f) =>
        f.type === 'text' ? (
          <label key={f.name} for={id(f.name)}>
            {f.label}
            {f.required ? '（必填）' : '（选填）'}
            {f.hint && <small class="muted"> {f.hint}</small>}
            <textarea
              id={id(f.name)}
              name={f.name}
              rows={3}
              maxLength={2000}
              required={f.required}
              value={values[f.name] ?? ''}
              onInput={(e) => setValues({ ...values, [f.name]: (e.target as HTMLTextAreaElement).value })}
            />
          </label>
        ) : (
          <fieldset key={f.name} class="choices">
            <legend>
              {f.label}
              {f.required ? '（必选）' : '（选填）'}
            </legend>
            {f.options?.map((o) => (
              <label key={o.value} class="check">
                <input
                  type="radio"
                  name={id(f.name)}
                  value={o.value}
                  required={f.required}
                  checked={values[f.name] === o.value}
                  onChange={() => setValues({ ...values, [f.name]: o.value })}
                />
                {o.label}
              </label>
            ))}
          </fieldset>
        ),
      )}
      <ErrorText message={moving.error} />
      <button type="submit" disabled={moving.busy}>
        {move.action}
      </button>
    </form>
  );
}
