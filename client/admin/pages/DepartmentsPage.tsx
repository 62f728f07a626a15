import { useState } from 'preact/hooks';
import type { DepartmentView as Department, OrgUnitView as OrgUnit } from '../../../shared/api/org.js';
import { areaCodeProblem, creditCodeProblem, normalizeCreditCode } from '../../../shared/report-codes.js';
import { api } from '../../shared/api.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, NamedOptions, SelectField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

/** What a department's upward reports still lack (docs/domain.md, 上报): each missing code holds them. */
function missingForReport(d: Department, unit: OrgUnit | undefined): string[] {
  const out: string[] = [];
  if (!d.creditCode) out.push('缺统一社会信用代码：上报时其评价暂缓');
  if (unit && !unit.areaCode) out.push(`${unit.name}缺行政区划代码：上报时其评价暂缓`);
  return out;
}

/**
 * One code, shown, and for an admin a 修改 button that opens a small form in place: checked here with the
 * server's own rules before sending, the server's message shown when it refuses.
 */
function CodeEditor({
  label,
  value,
  editable,
  maxLength,
  problem,
  normalize,
  save,
}: {
  label: string;
  value: string | null;
  editable: boolean;
  maxLength: number;
  problem: (code: string) => string | null;
  normalize: (code: string) => string;
  save: (code: string | null) => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const saving = useAction('保存失败');
  if (!editing) {
    return (
      <span class="row-actions">
        {value ? <code>{value}</code> : <span class="muted">未填</span>}
        {editable && (
          <button
            type="button"
            class="link"
            aria-label={`修改${label}`}
            onClick={() => {
              setText(value ?? '');
              setEditing(true);
            }}
          >
            修改
          </button>
        )}
        {saving.outcome && <span role="status">{saving.outcome}</span>}
      </span>
    );
  }
  const submit = saving.onSubmit(async () => {
    const code = normalize(text);
    const why = code ? problem(code) : null;
    if (why) return saving.fail(why);
    await save(code || null);
    setEditing(false);
    return code ? '已保存' : '已清除';
  });
  return (
    <form class="row-actions" onSubmit={submit}>
      <InputField label={label} value={text} maxLength={maxLength} autoComplete="off" onValue={setText} />
      <button type="submit" disabled={saving.busy}>
        保存
      </button>
      <button type="button" class="link" onClick={() => setEditing(false)}>
        取消
      </button>
      {saving.error && <span role="alert">{saving.error}</span>}
    </form>
  );
}

export function DepartmentsPage({ user }: PageProps) {
  const admin = user.role === 'admin';
  const { data, error, reload } = useApi<{ departments: Department[] }>('/api/departments');
  const units = useApi<{ orgUnits: OrgUnit[] }>(user.role === 'dept_head' ? null : '/api/org-units');
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const creating = useAction('新建失败');
  const counties = units.data?.orgUnits.filter((u) => u.kind === 'county') ?? [];
  const unitById = new Map((units.data?.orgUnits ?? []).map((u) => [u.id, u]));

  const create = creating.onSubmit(async () => {
    await api('/api/departments', { method: 'POST', body: { orgUnitId: Number(unit || counties[0]?.id), name } });
    setName('');
    reload();
    return '已新建部门';
  });
  const saveCreditCode = (id: number) => async (creditCode: string | null) => {
    await api(`/api/departments/${id}`, { method: 'PATCH', body: { creditCode } });
    reload();
  };
  const saveAreaCode = (id: number) => async (areaCode: string | null) => {
    await api(`/api/org-units/${id}`, { method: 'PATCH', body: { areaCode } });
    units.reload();
  };

  return (
    <section>
      <h1>部门</h1>
      <ErrorText message={error} />
      {admin && (
        <form class="inline-form" onSubmit={create}>
          <SelectField label="所属县/区" value={unit} onChange={setUnit}>
            <NamedOptions units={counties} />
          </SelectField>
          <InputField label="部门名称" value={name} required maxLength={60} onValue={setName} />
          <button type="submit">新建部门</button>
          {creating.outcome && <span role="status">{creating.outcome}</span>}
        </form>
      )}
      {units.data && units.data.orgUnits.length > 0 && (
        <>
          <h2>行政区划代码</h2>
          <p class="muted">上报省级好差评系统时，部门所属县/区的 12 位行政区划代码（areaCode）随每条评价上报。</p>
          <table class="data cards">
            <ColumnHeads columns={['组织单位', '行政区划代码']} />
            <tbody>
              {units.data.orgUnits.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.name}</th>
                  <td data-label="行政区划代码">
                    <CodeEditor
                      label={`${u.name}的行政区划代码`}
                      value={u.areaCode}
                      editable={admin}
                      maxLength={12}
                      problem={areaCodeProblem}
                      normalize={(s) => s.trim()}
                      save={saveAreaCode(u.id)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>部门</h2>
        </>
      )}
      <table class="data cards">
        <ColumnHeads columns={['部门', '县/区', '状态', '统一社会信用代码', '上报']} />
        <tbody>
          {data?.departments.map((d) => {
            const missing = missingForReport(d, unitById.get(d.orgUnitId));
            return (
              <tr key={d.id}>
                <th scope="row">{d.name}</th>
                <td data-label="县/区">{d.orgUnitName}</td>
                <td data-label="状态">{d.active ? '启用' : '停用'}</td>
                <td data-label="信用代码">
                  <CodeEditor
                    label={`${d.name}的统一社会信用代码`}
                    value={d.creditCode}
                    editable={admin}
                    maxLength={40}
                    problem={creditCodeProblem}
                    normalize={normalizeCreditCode}
                    save={saveCreditCode(d.id)}
                  />
                </td>
                <td data-label="上报">{missing.length === 0 ? '代码齐全' : missing.map((m) => <div key={m}>{m}</div>)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
