// The staff forms' fields: a label with its input or select, handing back the value as a string.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../shared/domain.js';

/** The <input>'s own attributes the staff forms use. */
interface InputAttributes {
  type?: 'text' | 'password' | 'number' | 'date' | 'month' | 'url';
  name?: string;
  value: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  step?: number;
  placeholder?: string;
  disabled?: boolean;
  autoComplete?: string;
}

/** A labelled input; `onValue` gets what was typed. `class` is the label's (grow…). */
export function InputField({
  label,
  onValue,
  class: labelClass,
  ...input
}: InputAttributes & { label: ComponentChildren; onValue: (value: string) => void; class?: string }) {
  return (
    <label class={labelClass}>
      {label}
      {/* preact types <input> by a union over `type`, which a `type` prop of several values does not fit */}
      <input {...(input as InputHTMLAttributes<HTMLInputElement>)} onInput={(e) => onValue(e.currentTarget.value)} />
    </label>
  );
}

/**
 * A labelled field for a new staff password, with the server's length rule (said in the label unless
 * `repeat`: the field that asks for the same password again).
 */
export function NewPasswordField({
  label,
  repeat = false,
  ...input
}: {
  label: string;
  repeat?: boolean;
  name?: string;
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <InputField
      label={repeat ? label : `${label}（至少 ${PASSWORD_MIN_LENGTH} 位）`}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN_LENGTH}
      maxLength={PASSWORD_MAX_LENGTH}
      {...input}
    />
  );
}

/** A labelled <select> of the `children` options; `onChange` gets the chosen value. */
export function SelectField({
  label,
  value,
  onChange,
  required,
  disabled,
  children,
}: {
  label: ComponentChildren;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
  children: ComponentChildren;
}) {
  return (
    <label>
      {label}
      <select required={required} disabled={disabled} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {children}
      </select>
    </label>
  );
}

function Options({ choices }: { choices: readonly (readonly [value: string | number, text: string])[] }) {
  return (
    <>
      {choices.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </>
  );
}

/** One option per department, county… (by id, shown by name); nothing while they load. */
export function NamedOptions({ units }: { units: readonly { id: number; name: string }[] | undefined }) {
  return <Options choices={(units ?? []).map((unit) => [unit.id, unit.name] as const)} />;
}

/** One option per value of a vocabulary (ROLES, CASE_STATUSES…), shown by its label; all labels when no values. */
export function LabelOptions<V extends string>({ values, labels }: { values?: readonly V[]; labels: Record<V, string> }) {
  return <Options choices={(values ?? (Object.keys(labels) as V[])).map((value) => [value, labels[value]] as const)} />;
}

/** A checkbox with its label after it; `onChange` gets whether it is ticked. */
export function CheckField({
  label,
  checked,
  onChange,
  disabled,
}: {
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <label class="check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} />
      {label}
    </label>
  );
}
