import { useState } from 'preact/hooks';
import { ErrorText } from '../ErrorText.js';
import { InputField } from '../Fields.js';
import { presets, type Range, spanDays } from './format.js';

/** Two date inputs and the presets 近7天 / 近30天 / 本月 / 上月; applies a valid range (≤ 366 days). */
export function DateRangePicker({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  const [error, setError] = useState<string | null>(null);

  function apply(e: Event) {
    e.preventDefault();
    if (!from || !to) return setError('请选择起止日期');
    if (from > to) return setError('起始日期不能晚于截止日期');
    if (spanDays({ from, to }) > 366) return setError('统计区间最长 366 天');
    setError(null);
    onChange({ from, to });
  }

  return (
    <form class="toolbar range-picker" onSubmit={apply} aria-label="统计区间">
      <InputField label="起始日期" type="date" value={from} max={to} required onValue={setFrom} />
      <InputField label="截止日期" type="date" value={to} min={from} required onValue={setTo} />
      <button type="submit">查询</button>
      {/* biome-ignore lint/a11y/useSemanticElements: an inline group of preset buttons inside the form row; a fieldset would break the row */}
      <span class="presets" role="group" aria-label="快捷区间">
        {presets().map((p) => {
          const active = p.range.from === value.from && p.range.to === value.to;
          return (
            <button
              key={p.label}
              type="button"
              class={active ? 'preset active' : 'preset'}
              aria-pressed={active}
              onClick={() => {
                setFrom(p.range.from);
                setTo(p.range.to);
                setError(null);
                onChange(p.range);
              }}
            >
              {p.label}
            </button>
          );
        })}
      </span>
      <ErrorText message={error} inline />
    </form>
  );
}
