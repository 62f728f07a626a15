import { useState } from 'preact/hooks';
import { api, saveSession, signOut } from '../../shared/api.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, NewPasswordField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import type { PageProps } from '../routes.js';

/**
 * The signed-in user's own account: change the password (every other session ends; this one goes on
 * with the new token the server answers) and end every session, on every device.
 */
export function AccountPage({ user }: PageProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const changing = useAction('修改失败，请检查网络');
  const ending = useAction('操作失败，请检查网络');

  const change = (e: Event) => {
    e.preventDefault();
    if (next !== again) {
      changing.fail('两次输入的新密码不一致');
      return;
    }
    void changing.run(async () => {
      const res = await api<{ token: string }>('/api/auth/password', {
        method: 'POST',
        body: { currentPassword: current, newPassword: next },
      });
      // This session goes on with the new token; every earlier one has ended on the server.
      saveSession(res.token, user);
      setCurrent('');
      setNext('');
      setAgain('');
      return '密码已修改。其他设备上的登录已全部失效，需用新密码重新登录。';
    });
  };

  const endEverywhere = () => {
    if (!confirm('确定退出所有设备？包括这台设备在内，所有登录都将失效，需要重新登录。')) return;
    void ending.run(async () => {
      await api('/api/auth/logout-all', { method: 'POST' });
      signOut();
    });
  };

  return (
    <section>
      <h1>我的账号</h1>
      <p class="muted">
        {user.displayName}（{user.username}）
      </p>
      <form class="inline-form" onSubmit={change} aria-labelledby="change-password-title">
        <h2 id="change-password-title" class="full">
          修改密码
        </h2>
        <InputField
          label="当前密码"
          type="password"
          name="current-password"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
        />
        <NewPasswordField label="新密码" name="new-password" value={next} onValue={setNext} />
        <NewPasswordField label="再次输入新密码" repeat name="new-password-again" value={again} onValue={setAgain} />
        <button type="submit" disabled={changing.busy}>
          {changing.busy ? '提交中…' : '修改密码'}
        </button>
        {changing.outcome && !changing.error && (
          <p role="status" class="full">
            {changing.outcome}
          </p>
        )}
        <ErrorText message={changing.error} />
      </form>
      <div class="card">
        <h2>退出所有设备</h2>
        <p>手机、别的电脑上忘了退出？这会使您的全部登录（包括这台设备）立即失效。</p>
        <button type="button" onClick={endEverywhere} disabled={ending.busy}>
          退出所有设备
        </button>
        <ErrorText message={ending.error} />
      </div>
    </section>
  );
}
