import { useState } from 'preact/hooks';
import { api } from '../../shared/api.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, NamedOptions, SelectField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

interface Department {
  id: number;
  name: string;
  orgUnitId: number;
  orgUnitName: string;
  active: boolean;
}
interface OrgUnit {
  id: number;
  kind: 'city' | 'county';
  name: string;
}

export function DepartmentsPage({ user }: PageProps) {
  const { data, error, reload } = useApi<{ departments: Department[] }>('/api/departments');
  const units = useApi<{ orgUnits: OrgUnit[] }>(user.role === 'admin' ? '/api/org-units' : null);
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const creating = useAction('新建失败');
  const counties = units.data?.orgUnits.filter((u) => u.kind === 'county') ?? [];

  const create = creating.onSubmit(async () => {
    await api('/api/departments', { method: 'POST', body: { orgUnitId: Number(unit || counties[0]?.id), name } });
    setName('');
    reload();
    return '已新建部门';
  });

  return (
    <section>
      <h1>部门</h1>
      <ErrorText message={error} />
      {user.role === 'admin' && (
        <form class="inline-form" onSubmit={create}>
          <SelectField label="所属县/区" value={unit} onChange={setUnit}>
            <NamedOptions units={counties} />
          </SelectField>
          <InputField label="部门名称" value={name} required maxLength={60} onValue={setName} />
          <button type="submit">新建部门</button>
          {creating.outcome && <span role="status">{creating.outcome}</span>}
        </form>
      )}
      <table class="data">
        <ColumnHeads columns={['部门', '县/区', '状态']} />
        <tbody>
          {data?.departments.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>{d.orgUnitName}</td>
              <td>{d.active ? '启用' : '停用'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
