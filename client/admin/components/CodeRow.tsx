import { useState } from 'preact/hooks';
import { FUNNEL_ALERT_LABELS } from '../../../shared/domain.js';
import { api } from '../../shared/api.js';
import { BASE } from '../router.js';
import type { CodeItem } from './code-types.js';
import { ErrorText } from './ErrorText.js';
import { InputField } from './Fields.js';
import { ScanCount } from './stats/CodeTable.js';
import { useAction } from './use-action.js';

const qrPath = (code: string, ext: 'svg' | 'png') => `/api/codes/${encodeURIComponent(code)}/qr.${ext}`;

/** One code in the codes table: funnel figures, QR links, and the admin's disable/relabel actions. */
export function CodeRow({ item, isAdmin, onChanged }: { item: CodeItem; isAdmin: boolean; onChanged: (c: CodeItem) => void }) {
  const [editing, setEditing] = useState(false);
  const [location, setLocation] = useState(item.location);
  const [staffName, setStaffName] = useState(item.staffName ?? '');
  const saving = useAction('保存失败');
  const { busy } = saving;
  const f = item.funnel;

  function change(body: Record<string, unknown>) {
    return saving.run(async () => {
      const updated = await api<CodeItem>(`/api/codes/${encodeURIComponent(item.code)}`, { method: 'PATCH', body });
      setEditing(false);
      onChanged(updated);
    });
  }

  function toggle() {
    const verb = item.active ? '停用' : '启用';
    const note = item.active ? '停用后扫此码只会看到“已停用”，海报也不再打印此码。' : '';
    if (confirm(`确定${verb}评议码 ${item.code}（${item.location}）？${note}`)) void change({ active: !item.active });
  }

  function save(e: Event) {
    e.preventDefault();
    void change({ location, staffName: staffName.trim() === '' ? null : staffName });
  }

  return (
    <tr class={item.active ? undefined : 'inactive'}>
      <th scope="row">
        <span class="code-id">{item.code}</span>
      </th>
      <td class="nowrap" data-label="部门">
        {item.departmentName}
      </td>
      <td data-label="位置">
        {editing ? (
          <form class="row-form" onSubmit={save} aria-label={`修改评议码 ${item.code} 的位置`}>
            <InputField label="位置" value={location} required maxLength={100} onValue={setLocation} />
            <InputField label="服务人员（可空）" value={staffName} maxLength={30} onValue={setStaffName} />
            <span class="row-actions">
              <button type="submit" disabled={busy}>
                保存
              </button>
              <button type="button" onClick={() => setEditing(false)} disabled={busy}>
                取消
              </button>
            </span>
          </form>
        ) : (
          <>
            {item.location}
            {item.staffName && <div class="muted">服务人员：{item.staffName}</div>}
          </>
        )}
        <ErrorText message={saving.error} />
      </td>
      <td data-label="状态">
        <span class={`badge ${item.active ? 'ok' : 'bad'}`}>{item.active ? '启用' : '已停用'}</span>
      </td>
      <td class="num" data-label="近30天扫码">
        <ScanCount opens={f.opens30d} submissions={f.submissions30d} />
      </td>
      <td class="num" data-label="近30天评价">
        {f.submissions30d}
      </td>
      <td class="nowrap" data-label="最近扫码">
        {f.lastOpenDay ?? '—'}
      </td>
      <td data-label="提示">{f.alert ? <span class="badge warn">{FUNNEL_ALERT_LABELS[f.alert]}</span> : '—'}</td>
      <td data-label="操作">
        <span class="row-actions">
          <a href={qrPath(item.code, 'svg')} target="_blank" rel="noopener">
            二维码<span class="sr-only">（{item.code}，SVG）</span>
          </a>
          <a href={`${qrPath(item.code, 'png')}?size=1200`} download={`评议码-${item.code}.png`}>
            下载PNG<span class="sr-only">（{item.code}）</span>
          </a>
          {isAdmin && (
            <a href={`${BASE}/codes/${encodeURIComponent(item.code)}/kiosks`}>
              评价器<span class="sr-only">（{item.code}）</span>
            </a>
          )}
          {isAdmin && !editing && (
            <>
              <button type="button" class="link" onClick={() => setEditing(true)} disabled={busy}>
                修改位置<span class="sr-only">（{item.code}）</span>
              </button>
              <button type="button" class="link" onClick={toggle} disabled={busy}>
                {item.active ? '停用' : '启用'}
                <span class="sr-only">（{item.code}）</span>
              </button>
            </>
          )}
        </span>
      </td>
    </tr>
  );
}
