// A number setting on the settings page: its label, what it does, its allowed range (from the server,
// GET /api/settings/sources numberRanges) and, when what was typed does not fit, why — in Chinese.
import type { ComponentChildren } from 'preact';
import type { SettingsSources } from '../../../../shared/api/settings.js';

export type NumberRange = SettingsSources['numberRanges'][number];

/** A stored share (0.05) as the percent shown and typed (5), without the float's tail (7.000000000000001). */
export const toPercent = (share: number) => Number((share * 100).toFixed(4));
/** A typed percent (8) as the stored share (0.08). */
export const fromPercent = (percent: number) => Number((percent / 100).toFixed(6));

/** The range as typed: a share's in percent. */
function shownRange(range: NumberRange, percent: boolean) {
  return percent ? { min: toPercent(range.minimum), max: toPercent(range.maximum) } : { min: range.minimum, max: range.maximum };
}

/** The range said in words: “允许 1–90 的整数”, “允许 0–100 %”. */
export function rangeText(range: NumberRange, percent = false): string {
  const { min, max } = shownRange(range, percent);
  return `允许 ${min}–${max}${percent ? ' %' : ''}${range.integer ? '，整数' : ''}`;
}

/** Why the typed text is no value of the range (null: it is one). */
export function numberProblem(text: string, range: NumberRange, percent = false): string | null {
  const { min, max } = shownRange(range, percent);
  const unit = percent ? ' %' : '';
  const t = text.trim();
  if (t === '') return `请填写数值（${min}–${max}${unit}）`;
  const n = Number(t);
  if (!Number.isFinite(n)) return `请填写数字（${min}–${max}${unit}）`;
  if (range.integer && !Number.isInteger(n)) return `请填写整数（${min}–${max}${unit}），不能有小数`;
  if (n < min) return `不能小于 ${min}${unit}（允许 ${min}–${max}${unit}）`;
  if (n > max) return `不能大于 ${max}${unit}（允许 ${min}–${max}${unit}）`;
  return null;
}

export function NumberField({
  id,
  label,
  help,
  range,
  percent = false,
  step,
  text,
  disabled,
  onText,
}: {
  /** The setting's path (deadlines.caseWorkingDays): the input's id. */
  id: string;
  label: string;
  help?: ComponentChildren;
  range: NumberRange | undefined;
  /** Shown and typed as a percent (a stored share 0–1). */
  percent?: boolean;
  step?: number;
  text: string;
  disabled: boolean;
  onText: (text: string) => void;
}) {
  const problem = range && !disabled ? numberProblem(text, range, percent) : null;
  const shown = range ? shownRange(range, percent) : undefined;
  const inputId = `set-${id.replace(/\./g, '-')}`;
  return (
    <div class="setting">
      <label for={inputId}>{label}</label>
      <span class="setting-input">
        <input
          id={inputId}
          type="number"
          inputMode={range?.integer ? 'numeric' : 'decimal'}
          min={shown?.min}
          max={shown?.max}
          step={step ?? (range?.integer ? 1 : 'any')}
          value={text}
          disabled={disabled}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${inputId}-help${problem ? ` ${inputId}-err` : ''}`}
          onInput={(e) => onText(e.currentTarget.value)}
        />
        {percent && <span aria-hidden="true">%</span>}
      </span>
      <span class="setting-help" id={`${inputId}-help`}>
        {range && <span class="setting-range">{rangeText(range, percent)}。</span>}
        {help}
      </span>
      {problem && (
        <span class="error field-error" id={`${inputId}-err`}>
          {problem}
        </span>
      )}
    </div>
  );
}
