import { useState } from 'preact/hooks';
import { api } from '../../shared/api.js';
import type { CodeItem, DepartmentItem } from './code-types.js';
import { InputField, NamedOptions, SelectField } from './Fields.js';
import { useAction } from './use-action.js';

/** Admin form: n window codes for one department from a location pattern with {n}. */
export function BulkCreateCodes({
  departments,
  defaultDepartmentId,
  onCreated,
}: {
  departments: DepartmentItem[];
  defaultDepartmentId: number | null;
  onCreated: (codes: CodeItem[]) => void;
}) {
  const [departmentId, setDepartmentId] = useState<string>(defaultDepartmentId ? String(defaultDepartmentId) : '');
  const [count, setCount] = useState('10');
  const [pattern, setPattern] = useState('县政务服务中心 A区 {n}号窗口');
  const [startAt, setStartAt] = useState('1');
  const [staffName, setStaffName] = useState('');
  const creating = useAction('新建失败');
  const chosen = departmentId || (defaultDepartmentId ? String(defaultDepartmentId) : '');
  const n = Number(count);
  const first = Number(startAt) || 0;
  const preview = pattern.includes('{n}')
    ? `${pattern.replaceAll('{n}', String(first))}${n > 1 ? ` … ${pattern.replaceAll('{n}', String(first + n - 1))}` : ''}`
    : pattern;

  const submit = creating.onSubmit(async () => {
    const body: Record<string, unknown> = { count: n, locationPattern: pattern, startAt: first };
    if (staffName.trim()) body.staffName = staffName.trim();
    const res = await api<{ codes: CodeItem[] }>(`/api/departments/${chosen}/codes`, { method: 'POST', body });
    onCreated(res.codes);
    return `已新建 ${res.codes.length} 个评议码：${res.codes.map((c) => c.code).join('、')}`;
  });

  return (
    <form class="inline-form" onSubmit={submit} aria-label="批量新建评议码">
      <SelectField label="部门" required value={chosen} onChange={setDepartmentId}>
        <option value="" disabled>
          请选择
        </option>
        <NamedOptions units={departments} />
      </SelectField>
      <InputField label="数量（1–200）" type="number" required min={1} max={200} step={1} value={count} onValue={setCount} />
      <InputField label="位置模板（{n} 为窗口号）" class="grow" required maxLength={100} value={pattern} onValue={setPattern} />
      <InputField label="起始号" type="number" required min={0} max={99999} step={1} value={startAt} onValue={setStartAt} />
      <InputField label="服务人员（可空）" maxLength={30} value={staffName} onValue={setStaffName} />
      <button type="submit" disabled={creating.busy || !chosen}>
        {creating.busy ? '新建中…' : '新建'}
      </button>
      <p class="muted full">预览：{preview}</p>
      {creating.outcome && (
        <p role="status" class="full">
          {creating.outcome}
        </p>
      )}
    </form>
  );
}
