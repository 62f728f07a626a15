import { render } from 'preact';
import { useState } from 'preact/hooks';
import { ROLE_LABELS } from '../../shared/domain.js';
import { api, clearSession, getSessionUser, type SessionUser, saveSession, setUnauthorizedHandler, signOut } from '../shared/api.js';
import { BASE, matchPath, onLinkClick, useLocation } from './router.js';
import { ROUTES } from './routes.js';
import './admin.css';
import { ErrorText } from './components/ErrorText.js';
import { InputField } from './components/Fields.js';
import { useAction } from './components/use-action.js';

function LoginPage({ onLogin }: { onLogin: (u: SessionUser) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction('登录失败，请检查网络');
  const submit = login.onSubmit(async () => {
    const res = await api<{ token: string; user: SessionUser }>('/api/auth/login', { method: 'POST', body: { username, password } });
    saveSession(res.token, res.user);
    onLogin(res.user);
  });
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">码上评议 · 管理后台</h1>
        <InputField label="用户名" name="username" autoComplete="username" required value={username} onValue={setUsername} />
        <InputField
          label="密码"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <ErrorText message={login.error} />
        <button type="submit" disabled={login.busy}>
          {login.busy ? '登录中…' : '登录'}
        </button>
      </form>
    </main>
  );
}

/** Ends this token on the server (it stops working at once), then forgets it here, whatever the answer. */
async function logout(): Promise<void> {
  try {
    await api('/api/auth/logout', { method: 'POST' });
  } catch {
    // Already expired or revoked, or no network: the token is forgotten here all the same.
  }
  signOut();
}

function App() {
  const [user, setUser] = useState<SessionUser | null>(getSessionUser);
  const { path, query } = useLocation();
  setUnauthorizedHandler(() => {
    clearSession();
    setUser(null);
  });
  if (!user) return <LoginPage onLogin={setUser} />;

  // A route without roles is any staff member's; an observer (an outsider) only gets the routes naming theirs.
  const observer = user.role === 'observer';
  const allowed = ROUTES.filter((r) => (r.roles ? r.roles.includes(user.role) : !observer));
  let page = null;
  for (const r of allowed) {
    const params = matchPath(r.path, path);
    if (params) {
      const Page = r.page;
      page = <Page user={user} params={params} query={query} />;
      break;
    }
  }
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: one delegated handler turns clicks on the app's own <a> links into client-side navigation; the links themselves are the interactive, keyboard-reachable elements (Enter on a link fires this click)
    <div class={observer ? 'shell observer' : 'shell'} onClick={onLinkClick}>
      <header class="topbar">
        <a class="brand" href={`${BASE}/`}>
          码上评议
        </a>
        <nav aria-label="主导航">
          <ul>
            {allowed
              .filter((r) => r.nav)
              .map((r) => (
                <li key={r.path}>
                  <a href={BASE + r.path} aria-current={path === r.path ? 'page' : undefined}>
                    {r.nav}
                  </a>
                </li>
              ))}
            {observer && (
              <li>
                <a href="/public">公开数据</a>
              </li>
            )}
          </ul>
        </nav>
        <span class="who">
          {user.displayName}（{ROLE_LABELS[user.role]}）
          <a href={`${BASE}/account`} aria-current={path === '/account' ? 'page' : undefined}>
            修改密码
          </a>
          <button type="button" class="link" onClick={() => void logout()}>
            退出
          </button>
        </span>
      </header>
      <main class="content">{page ?? <p>页面不存在或无权访问。</p>}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
