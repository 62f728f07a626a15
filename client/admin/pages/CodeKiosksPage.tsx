import { useState } from 'preact/hooks';
import type { PublicCodeInfoT } from '../../../shared/api/codes.js';
import type { KioskCreatedT, KioskListT, KioskViewT } from '../../../shared/api/kiosks.js';
import { api } from '../../shared/api.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import { BASE } from '../router.js';
import type { PageProps } from '../routes.js';

function KioskState({ k }: { k: KioskViewT }) {
  if (k.revokedAt !== null) return <span class="badge bad">已撤销</span>;
  if (k.lastSeenAt === null) return <span class="badge warn">尚未连接</span>;
  return k.online ? <span class="badge ok">在线</span> : <span class="badge warn">离线</span>;
}

/** The address of a tablet just provisioned: shown this once, with its QR for the tablet's camera. */
function NewKiosk({ k }: { k: KioskCreatedT }) {
  const [copied, setCopied] = useState(false);
  const clipboard = typeof navigator.clipboard?.writeText === 'function';
  return (
    <div class="card kiosk-new" role="status">
      <h2>新评价器的地址（只显示这一次）</h2>
      <p>用窗口的平板扫描二维码，或在平板的浏览器中打开下面的地址，再“添加到主屏幕”全屏使用（见运维手册）。</p>
      <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(k.qrSvg)}`} alt="评价器地址的二维码" width={220} height={220} />
      <p>
        <code class="kiosk-url">{k.url}</code>{' '}
        {clipboard && (
          <button type="button" onClick={() => void navigator.clipboard.writeText(k.url).then(() => setCopied(true))}>
            {copied ? '已复制' : '复制地址'}
          </button>
        )}
      </p>
      <p class="muted">地址即平板的凭据，请勿外传；离开本页后不再显示。遗失或平板丢失时，请撤销后重新开通。</p>
    </div>
  );
}

/** 评价器: the tablets of one window — provision one (its address and QR), see them, revoke them. */
export function CodeKiosksPage({ params }: PageProps) {
  const code = params.code ?? '';
  const path = encodeURIComponent(code);
  const info = useApi<Omit<PublicCodeInfoT, 'departmentId'>>(`/api/codes/${path}`);
  const list = useApi<KioskListT>(`/api/codes/${path}/kiosks`);
  const action = useAction('操作失败，请检查网络');
  const [created, setCreated] = useState<KioskCreatedT | null>(null);
  const c = info.data;

  function provision() {
    void action.run(async () => {
      setCreated(await api<KioskCreatedT>(`/api/codes/${path}/kiosk`, { method: 'POST' }));
      list.reload();
    });
  }

  function revoke(k: KioskViewT) {
    if (!confirm(`撤销评价器 #${k.id}？撤销后该平板立即停止使用，不能恢复（可重新开通）。`)) return;
    void action.run(async () => {
      await api(`/api/kiosks/${k.id}`, { method: 'DELETE' });
      if (created?.id === k.id) setCreated(null);
      list.reload();
      return `评价器 #${k.id} 已撤销`;
    });
  }

  return (
    <section aria-labelledby="kiosks-title">
      <p>
        <a href={`${BASE}/codes`}>← 评议码</a>
      </p>
      <h1 id="kiosks-title">评价器{c ? ` · ${c.location}` : ''}</h1>
      {c && (
        <p class="muted">
          {c.departmentName} · 评议码 <span class="code-id">{c.code}</span>
          {!c.active && <span class="badge bad">评议码已停用：评价器暂停使用</span>}
        </p>
      )}
      <p>评价器是放在窗口的平板：本窗口的办件办结后，平板自动显示该办件的评价页面，群众点选即完成评价（一次一评，渠道“评价器”）。</p>
      <ErrorText message={info.error ?? list.error} />
      <p>
        <button type="button" onClick={provision} disabled={action.busy || !c?.active}>
          开通新的评价器
        </button>
      </p>
      {action.outcome && !created && <p role="status">{action.outcome}</p>}
      {action.error && created && <ErrorText message={action.error} />}
      {created && <NewKiosk k={created} />}
      <h2>本窗口的评价器</h2>
      {list.data && list.data.kiosks.length === 0 ? (
        <p class="muted">尚未开通评价器。</p>
      ) : (
        <div class="table-scroll">
          <table class="data kiosks">
            <ColumnHeads columns={['编号', '状态', '开通时间', '开通人', '最近连接', '操作']} />
            <tbody>
              {list.data?.kiosks.map((k) => (
                <tr key={k.id}>
                  <th scope="row" class="nowrap">
                    #{k.id}
                  </th>
                  <td>
                    <KioskState k={k} />
                  </td>
                  <td class="nowrap">{formatTime(k.createdAt)}</td>
                  <td class="nowrap">{k.createdByName}</td>
                  <td class="nowrap">
                    {k.revokedAt !== null ? `撤销于 ${formatTime(k.revokedAt)}` : k.lastSeenAt ? formatTime(k.lastSeenAt) : '—'}
                  </td>
                  <td>
                    {k.revokedAt === null && (
                      <button type="button" class="link" onClick={() => revoke(k)} disabled={action.busy}>
                        撤销<span class="sr-only">（评价器 #{k.id}）</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
