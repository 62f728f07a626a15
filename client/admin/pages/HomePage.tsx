import { ROLE_LABELS } from '../../../shared/domain.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import { type PageProps, ROUTES } from '../routes.js';

export function HomePage({ user }: PageProps) {
  const holidays = useApi<{ warnings: string[] }>(user.role === 'admin' ? '/api/settings/holidays' : null);
  const links = ROUTES.filter((r) => r.nav && r.path !== '/' && (!r.roles || r.roles.includes(user.role)));
  return (
    <section>
      <h1>您好，{user.displayName}</h1>
      <p>身份：{ROLE_LABELS[user.role]}</p>
      {holidays.data?.warnings.map((w) => (
        <p key={w} role="alert" class="card">
          ⚠ {w} <a href={`${BASE}/settings#holidays`}>去载入</a>
        </p>
      ))}
      <ul class="tiles">
        {links.map((r) => (
          <li key={r.path}>
            <a href={BASE + r.path}>{r.nav}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
