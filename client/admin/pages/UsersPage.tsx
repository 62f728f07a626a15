import { useState } from 'preact/hooks';
import type { UserView } from '../../../shared/api/auth.js';
import type { DepartmentView as Department, OrgUnitView as OrgUnit } from '../../../shared/api/org.js';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, LabelOptions, NamedOptions, NewPasswordField, SelectField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';

/** Administrators create the staff accounts of their scope: supervisors, heads, other admins. */
export function UsersPage({ user: me }: PageProps) {
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
        <NewPasswordField label="初始密码" value={form.password} onValue={set('password')} />
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
      <div class="table-scroll">
        <table class="data users">
          <caption class="sr-only">用户列表</caption>
          <ColumnHeads columns={['用户名', '姓名', '角色', '范围', '状态', '操作']} />
          <tbody>
            {users.data?.users.map((u) => (
              <UserRow
                key={u.id}
                user={u}
                self={u.id === me.id}
                scope={
                  u.role === 'dept_head'
                    ? u.departmentIds.map((d) => deptName.get(d) ?? d).join('、')
                    : (unitName.get(u.orgUnitId ?? 0) ?? '')
                }
                onChanged={users.reload}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One user: the admin resets their password or disables them (either ends every session of theirs). */
function UserRow({ user: u, self, scope, onChanged }: { user: UserView; self: boolean; scope: string; onChanged: () => void }) {
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const acting = useAction('操作失败');
  const { busy } = acting;

  const reset = acting.onSubmit(async () => {
    await api(`/api/users/${u.id}/password`, { method: 'POST', body: { newPassword: password } });
    setResetting(false);
    setPassword('');
    return `已重置 ${u.username} 的密码，其原有登录已全部失效`;
  });

  function toggle() {
    const verb = u.active ? '停用' : '启用';
    const note = u.active ? '停用后该用户不能登录，已有的登录立即失效。' : '';
    if (!confirm(`确定${verb}用户 ${u.username}（${u.displayName}）？${note}`)) return;
    void acting.run(async () => {
      await api(`/api/users/${u.id}`, { method: 'PATCH', body: { active: !u.active } });
      onChanged();
      return `已${verb} ${u.username}`;
    });
  }

  return (
    <tr class={u.active ? undefined : 'inactive'}>
      <td>{u.username}</td>
      <td>{u.displayName}</td>
      <td>{ROLE_LABELS[u.role]}</td>
      <td>{scope}</td>
      <td>{u.active ? '启用' : '停用'}</td>
      <td>
        {self ? (
          <a href={`${BASE}/account`}>修改密码</a>
        ) : resetting ? (
          <form class="row-form" onSubmit={reset} aria-label={`重置 ${u.username} 的密码`}>
            <NewPasswordField label="新密码" value={password} onValue={setPassword} />
            <span class="row-actions">
              <button type="submit" disabled={busy}>
                重置
              </button>
              <button type="button" onClick={() => setResetting(false)} disabled={busy}>
                取消
              </button>
            </span>
          </form>
        ) : (
          <span class="row-actions">
            <button type="button" class="link" onClick={() => setResetting(true)} disabled={busy}>
              重置密码<span class="sr-only">（{u.username}）</span>
            </button>
            <button type="button" class="link" onClick={toggle} disabled={busy}>
              {u.active ? '停用' : '启用'}
              <span class="sr-only">（{u.username}）</span>
            </button>
          </span>
        )}
        {acting.outcome && !acting.error && <p role="status">{acting.outcome}</p>}
        <ErrorText message={acting.error} />
      </td>
    </tr>
  );
}
