import { useState } from 'preact/hooks';
import type { UserView } from '../../../shared/api/auth.js';
import type { DepartmentView as Department, OrgUnitView as OrgUnit } from '../../../shared/api/org.js';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, LabelOptions, NamedOptions, SelectField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

/** Administrators create the staff accounts of their scope: supervisors, heads, other admins. */
export function UsersPage(_: PageProps) {
  const users = useApi<{ users: UserView[] }>('/api/users');
  const depts = useApi<{ departments: Department[] }>('/api/departments');
  const units = useApi<{ orgUnits: OrgUnit[] }>('/api/org-units');
  const [form, setForm] = useState({
    username: '',
    displayName: '',
    password: '',
    role: 'dept_head' as Role,
    orgUnitId: '',
    departmentId: '',
  });
  const creating = useAction('创建失败');
  const deptName = new Map(depts.data?.departments.map((d) => [d.id, d.name]));
  const unitName = new Map(units.data?.orgUnits.map((u) => [u.id, u.name]));
  const set = (k: keyof typeof form) => (value: string) => setForm({ ...form, [k]: value });

  const create = creating.onSubmit(async () => {
    await api('/api/users', {
      method: 'POST',
      body: {
        username: form.username,
        password: form.password,
        displayName: form.displayName || undefined,
        role: form.role,
        ...(form.role === 'dept_head'
          ? { departmentIds: [Number(form.departmentId || depts.data?.departments[0]?.id)] }
          : { orgUnitId: Number(form.orgUnitId || units.data?.orgUnits[0]?.id) }),
      },
    });
    setForm({ ...form, username: '', displayName: '', password: '' });
    users.reload();
    return `已创建用户 ${form.username}`;
  });

  return (
    <section>
      <h1>用户</h1>
      <form class="inline-form" onSubmit={create} aria-label="新建用户">
        <InputField
          label="用户名"
          required
          minLength={3}
          maxLength={32}
          value={form.username}
          onValue={set('username')}
          autoComplete="off"
        />
        <InputField label="姓名" maxLength={50} value={form.displayName} onValue={set('displayName')} />
        <InputField
          label="初始密码（至少 8 位）"
          type="password"
          required
          minLength={8}
          value={form.password}
          onValue={set('password')}
          autoComplete="new-password"
        />
        <SelectField label="角色" value={form.role} onChange={set('role')}>
          <LabelOptions values={ROLES} labels={ROLE_LABELS} />
        </SelectField>
        {form.role === 'dept_head' ? (
          <SelectField label="负责部门" value={form.departmentId} onChange={set('departmentId')}>
            <NamedOptions units={depts.data?.departments} />
          </SelectField>
        ) : (
          <SelectField label="管辖范围" value={form.orgUnitId} onChange={set('orgUnitId')}>
            <NamedOptions units={units.data?.orgUnits} />
          </SelectField>
        )}
        <button type="submit">新建用户</button>
        {creating.outcome && <span role="status">{creating.outcome}</span>}
      </form>
      <ErrorText message={users.error} />
      <table class="data">
        <caption class="sr-only">用户列表</caption>
        <ColumnHeads columns={['用户名', '姓名', '角色', '范围', '状态']} />
        <tbody>
          {users.data?.users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>
                {u.role === 'dept_head'
                  ? u.departmentIds.map((d) => deptName.get(d) ?? d).join('、')
                  : (unitName.get(u.orgUnitId ?? 0) ?? '')}
              </td>
              <td>{u.active ? '启用' : '停用'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
