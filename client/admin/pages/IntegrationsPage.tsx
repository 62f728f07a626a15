import { useState } from 'preact/hooks';
import type { IntegrationView as Integration, IntegrationWithKey } from '../../../shared/api/integrations.js';
import { api } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

/** A key just made or replaced: shown this once, with a copy button. */
function NewKey({ made, onClose }: { made: IntegrationWithKey; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(made.apiKey);
      setCopied('已复制');
    } catch {
      setCopied('无法自动复制，请选中密钥后手动复制');
    }
  }
  return (
    <section class="card key-once" aria-label="新密钥">
      <h2>「{made.name}」的密钥</h2>
      <p class="error">
        <strong>密钥只显示这一次。</strong>请立即复制并交给业务系统的管理员保存；关闭后无法再查看，遗失只能更换密钥。
      </p>
      <p>
        <code class="api-key" data-testid="api-key">
          {made.apiKey}
        </code>
      </p>
      <p class="row-actions">
        <button type="button" onClick={copy}>
          复制密钥
        </button>
        <button type="button" onClick={onClose}>
          我已保存，关闭
        </button>
        {copied && <span role="status">{copied}</span>}
      </p>
      <p class="muted">
        调用时放在请求头 <code>X-Api-Key</code> 中，如 <code>PUT /api/matters/{'{办件编号}'}</code>。接口说明见 /api/docs。
      </p>
    </section>
  );
}

/** 系统对接: the business systems (一窗受理, 网上办事大厅…) that push 办件 with an API key. */
export function IntegrationsPage(_props: PageProps) {
  const { data, error, reload } = useApi<{ integrations: Integration[] }>('/api/integrations');
  const [name, setName] = useState('');
  const [made, setMade] = useState<IntegrationWithKey | null>(null);
  const action = useAction('操作失败');

  const create = action.onSubmit(async () => {
    setMade(await api<IntegrationWithKey>('/api/integrations', { method: 'POST', body: { name } }));
    setName('');
    reload();
  });
  const rotate = (i: Integration) =>
    confirm(`为「${i.name}」更换密钥？旧密钥（${i.keyPrefix}…）将立即失效，业务系统须改用新密钥。`) &&
    action.run(async () => {
      setMade(await api<IntegrationWithKey>(`/api/integrations/${i.id}/rotate`, { method: 'POST' }));
      reload();
    });
  const revoke = (i: Integration) =>
    confirm(`撤销「${i.name}」？其密钥将立即失效，业务系统的推送都会被拒绝（401），且不能恢复。`) &&
    action.run(async () => {
      await api(`/api/integrations/${i.id}`, { method: 'DELETE' });
      setMade(null);
      reload();
      return `已撤销「${i.name}」`;
    });

  return (
    <section>
      <h1>系统对接</h1>
      <p class="muted">
        一窗受理、网上办事大厅、12345 等业务系统用密钥推送办件（一次一评、一事一评）。密钥只在新建和更换时显示一次；
        对接只能在您的管理范围内推送和查询办件。
      </p>
      <form class="inline-form" onSubmit={create} aria-label="新建对接">
        <InputField
          label="业务系统名称"
          class="grow"
          required
          maxLength={60}
          value={name}
          onValue={setName}
          placeholder="如：一窗受理系统"
        />
        <button type="submit" disabled={action.busy}>
          新建对接并生成密钥
        </button>
      </form>
      {made && <NewKey made={made} onClose={() => setMade(null)} />}
      {action.outcome && !made && <p role="status">{action.outcome}</p>}
      <ErrorText message={error ?? action.error} />
      {data && data.integrations.length === 0 && <p class="muted">尚未对接任何业务系统。</p>}
      {data && data.integrations.length > 0 && (
        <div class="table-scroll">
          <table class="data integrations">
            <ColumnHeads
              columns={['名称', '密钥', '范围', '创建', '最近调用', num('调用次数'), num('出错次数'), '最近错误', '状态', '操作']}
            />
            <tbody>
              {data.integrations.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.name}</th>
                  <td>
                    <code>{i.keyPrefix}…</code>
                  </td>
                  <td>{i.orgUnitName || '—'}</td>
                  <td class="nowrap">
                    {formatTime(i.createdAt)}
                    <br />
                    <span class="muted">{i.createdBy.displayName}</span>
                  </td>
                  <td class="nowrap">{i.lastCallAt ? formatTime(i.lastCallAt) : '从未调用'}</td>
                  <td class="num">{i.calls}</td>
                  <td class="num">{i.errors}</td>
                  <td class="last-error">
                    {i.lastError ? (
                      <>
                        {i.lastError}
                        {i.lastErrorAt && <span class="muted">（{formatTime(i.lastErrorAt)}）</span>}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{i.revokedAt ? <span class="badge bad">已撤销</span> : <span class="badge ok">启用</span>}</td>
                  <td>
                    {!i.revokedAt && (
                      <span class="row-actions">
                        <button type="button" onClick={() => rotate(i)}>
                          更换密钥
                        </button>
                        <button type="button" onClick={() => revoke(i)}>
                          撤销
                        </button>
                      </span>
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
