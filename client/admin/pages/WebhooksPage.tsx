import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { DeliveryView as Delivery, WebhookView as Webhook } from '../../../shared/api/notifications.js';
import { DELIVERY_STATUS_LABELS, NOTIFY_EVENT_LABELS, WEBHOOK_KIND_LABELS } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { CheckField, InputField, LabelOptions, SelectField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

const KINDS = WEBHOOK_KIND_LABELS;
const EVENTS = NOTIFY_EVENT_LABELS;
const STATUS = DELIVERY_STATUS_LABELS;

function Deliveries({ id }: { id: number }) {
  const { data, error } = useApi<{ deliveries: Delivery[] }>(`/api/webhooks/${id}/deliveries`);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p>加载中…</p>;
  if (data.deliveries.length === 0) return <p class="muted">尚无发送记录。</p>;
  return (
    <table class="data">
      <ColumnHeads columns={['时间', '事件', '状态', num('尝试次数'), '最近错误']} />
      <tbody>
        {data.deliveries.map((d) => (
          <tr key={d.id}>
            <td>{formatTime(d.createdAt)}</td>
            <td>{EVENTS[d.event as keyof typeof EVENTS] ?? d.event}</td>
            <td>{STATUS[d.status]}</td>
            <td class="num">{d.attempts}</td>
            <td>{d.lastError ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A DingTalk robot's 加签 secret: write-only (the server says only whether one is set), replaced by
 * typing a new one, or removed.
 */
function SecretEditor({ hook, reload }: { hook: Webhook; reload: () => void }) {
  const [secret, setSecret] = useState('');
  // Its own outcome, shown here: the page's status line may be far above this row.
  const action = useAction('操作失败');
  /** The call that sets (a string) or removes (null) the secret. */
  const patch = (value: string | null, done: string) => async () => {
    await api(`/api/webhooks/${hook.id}`, { method: 'PATCH', body: { secret: value } });
    setSecret('');
    reload();
    return done;
  };
  return (
    <form class="inline-form" onSubmit={action.onSubmit(patch(secret, '已保存加签密钥'))} aria-label={`「${hook.name}」的加签密钥`}>
      <p class="full">
        加签密钥：{hook.signed ? <span class="badge ok">已设置</span> : <span class="muted">未设置</span>}
        <span class="muted">（密钥保存后不再显示）</span>
      </p>
      <InputField
        label={hook.signed ? '新的加签密钥（替换原密钥）' : '加签密钥'}
        class="grow"
        type="password"
        autoComplete="off"
        placeholder="SEC…"
        required
        maxLength={200}
        value={secret}
        onValue={setSecret}
      />
      <button type="submit" disabled={action.busy}>
        {hook.signed ? '替换密钥' : '保存密钥'}
      </button>
      {hook.signed && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            confirm(`删除「${hook.name}」的加签密钥？钉钉机器人仍开着加签时，推送将被拒绝。`) && action.run(patch(null, '已删除加签密钥'))
          }
        >
          删除密钥
        </button>
      )}
      {action.outcome && (
        <p class="full" role="status">
          {action.outcome}
        </p>
      )}
    </form>
  );
}

/** 消息推送: 企业微信 / 钉钉 group robots told of new 差评 and overdue cases. */
export function WebhooksPage(_props: PageProps) {
  const { data, error, reload } = useApi<{ webhooks: Webhook[] }>('/api/webhooks');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'wecom' | 'dingtalk'>('wecom');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [events, setEvents] = useState<string[]>(['bad_rating', 'case_overdue']);
  const action = useAction('操作失败');
  const [open, setOpen] = useState<number | null>(null);
  const [secretOf, setSecretOf] = useState<number | null>(null);

  /** A change to the webhooks; the list is reloaded after it and `done` said. */
  const change = (call: () => Promise<unknown>, done: string) =>
    action.run(async () => {
      await call();
      reload();
      return done;
    });

  function create(e: Event) {
    e.preventDefault();
    void change(async () => {
      const signed = kind === 'dingtalk' && secret.trim() !== '';
      await api('/api/webhooks', { method: 'POST', body: { name, kind, url, events, ...(signed ? { secret } : {}) } });
      setName('');
      setUrl('');
      setSecret('');
    }, '已新建推送');
  }

  return (
    <section>
      <h1>消息推送</h1>
      <p class="muted">新差评和案件超期时推送到工作群。推送内容不含群众手机号；推送失败会自动重试，不影响群众评价。</p>
      <form class="inline-form" onSubmit={create} aria-label="新建推送">
        <InputField label="名称" required maxLength={60} value={name} onValue={setName} />
        <SelectField label="类型" value={kind} onChange={(value) => setKind(value as 'wecom' | 'dingtalk')}>
          <LabelOptions labels={KINDS} />
        </SelectField>
        <InputField label="Webhook 地址" class="grow" type="url" required value={url} onValue={setUrl} />
        {kind === 'dingtalk' && (
          <InputField
            label="加签密钥（机器人开了“加签”时填）"
            type="password"
            autoComplete="off"
            placeholder="SEC…"
            maxLength={200}
            value={secret}
            onValue={setSecret}
          />
        )}
        <fieldset class="choices">
          <legend>推送事件</legend>
          {Object.entries(EVENTS).map(([event, label]) => (
            <CheckField
              key={event}
              label={label}
              checked={events.includes(event)}
              onChange={(on) => setEvents(on ? [...events, event] : events.filter((other) => other !== event))}
            />
          ))}
        </fieldset>
        <button type="submit" disabled={events.length === 0}>
          新建推送
        </button>
      </form>
      {action.outcome && <p role="status">{action.outcome}</p>}
      <ErrorText message={error} />
      <table class="data">
        <ColumnHeads columns={['名称', '类型', '事件', '状态', '操作']} />
        <tbody>
          {data?.webhooks.map((h) => (
            <Fragment key={h.id}>
              <tr>
                <th scope="row">{h.name}</th>
                <td>
                  {KINDS[h.kind]}
                  {h.signed && (
                    <>
                      {' '}
                      <span class="badge ok">已加签</span>
                    </>
                  )}
                </td>
                <td>{h.events.map((e) => EVENTS[e as keyof typeof EVENTS] ?? e).join('、')}</td>
                <td>{h.active ? <span class="badge ok">启用</span> : <span class="badge warn">停用</span>}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    onClick={() =>
                      change(
                        () => api(`/api/webhooks/${h.id}`, { method: 'PATCH', body: { active: !h.active } }),
                        h.active ? '已停用' : '已启用',
                      )
                    }
                  >
                    {h.active ? '停用' : '启用'}
                  </button>
                  {h.kind === 'dingtalk' && (
                    <button type="button" aria-expanded={secretOf === h.id} onClick={() => setSecretOf(secretOf === h.id ? null : h.id)}>
                      加签密钥
                    </button>
                  )}
                  <button type="button" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
                    发送记录
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      confirm(`删除推送「${h.name}」及其发送记录？`) &&
                      change(() => api(`/api/webhooks/${h.id}`, { method: 'DELETE' }), '已删除')
                    }
                  >
                    删除
                  </button>
                </td>
              </tr>
              {secretOf === h.id && h.kind === 'dingtalk' && (
                <tr>
                  <td colSpan={5}>
                    <SecretEditor hook={h} reload={reload} />
                  </td>
                </tr>
              )}
              {open === h.id && (
                <tr>
                  <td colSpan={5}>
                    <Deliveries id={h.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
}
