// 办事指南: a department's guides — administrators write them (every save a new version, any version
// restorable), everyone in scope sees them, opens their citizen page and QR, and prints the 二维码墙.
import { useEffect, useState } from 'preact/hooks';
import type { CodeListT } from '../../../shared/api/codes.js';
import type { GuideBodyT, GuideListT, GuideT, GuideVersionsT } from '../../../shared/api/guides.js';
import { api } from '../../shared/api.js';
import { formatTime } from '../components/cases/types.js';
import type { DepartmentItem } from '../components/code-types.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, NamedOptions, SelectField } from '../components/Fields.js';
import { openPrintSheet } from '../components/print-sheet.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

/** The form's text: lists one item a line, days as typed ('' for none). */
interface Draft {
  taskCode: string;
  taskName: string;
  materials: string;
  steps: string;
  legalDays: string;
  promisedDays: string;
  fees: string;
  legalBasis: string;
  location: string;
  hours: string;
  phone: string;
  codes: string[];
}

const EMPTY: Draft = {
  taskCode: '',
  taskName: '',
  materials: '',
  steps: '',
  legalDays: '',
  promisedDays: '',
  fees: '不收费',
  legalBasis: '',
  location: '',
  hours: '周一至周五 上午 9:00–12:00，下午 13:30–17:00（法定节假日除外）',
  phone: '',
  codes: [],
};

const draftOf = (g: Omit<GuideBodyT, 'departmentId'>): Draft => ({
  taskCode: g.taskCode ?? '',
  taskName: g.taskName,
  materials: g.materials.join('\n'),
  steps: g.steps.join('\n'),
  legalDays: g.legalDays === null ? '' : String(g.legalDays),
  promisedDays: g.promisedDays === null ? '' : String(g.promisedDays),
  fees: g.fees,
  legalBasis: g.legalBasis,
  location: g.location,
  hours: g.hours,
  phone: g.phone,
  codes: g.codes,
});

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const days = (s: string) => (s.trim() === '' ? null : Number(s));

function TextArea({ label, value, onValue, rows = 4 }: { label: string; value: string; onValue: (v: string) => void; rows?: number }) {
  return (
    <label class="grow">
      {label}
      <textarea rows={rows} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
    </label>
  );
}

/** The editor of one guide (or a new one) with its history. */
function GuideEditor({
  departmentId,
  guide,
  onSaved,
}: {
  departmentId: number;
  guide: GuideT | null;
  onSaved: (g: GuideT, message: string) => void;
}) {
  const [draft, setDraft] = useState<Draft>(guide ? draftOf({ ...guide, codes: guide.windows.map((w) => w.code) }) : EMPTY);
  const codes = useApi<CodeListT>(`/api/codes?departmentId=${departmentId}&active=true`);
  const versions = useApi<GuideVersionsT>(guide ? `/api/guides/${guide.id}/versions` : null);
  const save = useAction('保存失败，请检查网络');
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const field = (key: keyof Omit<Draft, 'codes'>) => ({ value: draft[key], onValue: (v: string) => set({ [key]: v }) });

  function submit() {
    const body: GuideBodyT = {
      departmentId: guide?.departmentId ?? departmentId,
      taskCode: draft.taskCode.trim() || null,
      taskName: draft.taskName,
      materials: lines(draft.materials),
      steps: lines(draft.steps),
      legalDays: days(draft.legalDays),
      promisedDays: days(draft.promisedDays),
      fees: draft.fees,
      legalBasis: draft.legalBasis,
      location: draft.location,
      hours: draft.hours,
      phone: draft.phone,
      codes: draft.codes,
    };
    return save.run(async () => {
      const saved = guide
        ? await api<GuideT>(`/api/guides/${guide.id}`, { method: 'PUT', body: { ...body, version: guide.version } })
        : await api<GuideT>('/api/guides', { method: 'POST', body });
      // The editor is rebuilt for the new version: the page says what happened.
      onSaved(saved, `已保存（第 ${saved.version} 版）`);
    });
  }

  function restore(version: number) {
    if (!guide || !confirm(`恢复第 ${version} 版？当前内容仍保留在历史中。`)) return;
    void save.run(async () => {
      const saved = await api<GuideT>(`/api/guides/${guide.id}/versions/${version}/restore`, { method: 'POST' });
      onSaved(saved, `已恢复第 ${version} 版（保存为第 ${saved.version} 版）`);
    });
  }

  return (
    <div class="card guide-editor">
      <h2>{guide ? `编辑：${guide.taskName}（第 ${guide.version} 版）` : '新建办事指南'}</h2>
      <form class="guide-form" onSubmit={save.onSubmit(submit)}>
        <InputField label="事项名称" required maxLength={100} {...field('taskName')} />
        <InputField label="事项编码（可空）" maxLength={64} {...field('taskCode')} />
        <TextArea label="申请材料（每行一项）" rows={5} {...field('materials')} />
        <TextArea label="办理流程（每行一步）" rows={5} {...field('steps')} />
        <div class="row-form">
          <InputField label="法定时限（工作日，0 为即办，空为未规定）" type="number" min={0} max={365} {...field('legalDays')} />
          <InputField label="承诺时限（工作日）" type="number" min={0} max={365} {...field('promisedDays')} />
        </div>
        <InputField label="收费" maxLength={500} {...field('fees')} />
        <TextArea label="设定依据" rows={2} {...field('legalBasis')} />
        <InputField label="办理地点" maxLength={300} {...field('location')} />
        <InputField label="办理时间" maxLength={200} {...field('hours')} />
        <InputField label="咨询电话（部门公开的服务电话）" maxLength={100} {...field('phone')} />
        <fieldset>
          <legend>办理窗口（群众在这些窗口的评价页可看到本指南）</legend>
          {(codes.data?.codes ?? []).map((c) => (
            <label class="check" key={c.code}>
              <input
                type="checkbox"
                checked={draft.codes.includes(c.code)}
                onChange={(e) =>
                  set({ codes: e.currentTarget.checked ? [...draft.codes, c.code] : draft.codes.filter((x) => x !== c.code) })
                }
              />{' '}
              {c.location} <span class="code-id">{c.code}</span>
            </label>
          ))}
        </fieldset>
        <p>
          <button type="submit" class="primary" disabled={save.busy}>
            保存
          </button>
        </p>
        <ErrorText message={save.error} />
      </form>
      {guide && (
        <>
          <h3>历史版本</h3>
          <ErrorText message={versions.error} />
          <table>
            <thead>
              <tr>
                <th>版本</th>
                <th>保存时间</th>
                <th>保存人</th>
                <th>承诺时限</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(versions.data?.versions ?? []).map((v) => (
                <tr key={v.version}>
                  <td>第 {v.version} 版</td>
                  <td>{formatTime(v.editedAt)}</td>
                  <td>{v.editedByName}</td>
                  <td>{v.guide.promisedDays === null ? '—' : `${v.guide.promisedDays} 个工作日`}</td>
                  <td>
                    {v.version === guide.version ? (
                      <span class="muted">当前</span>
                    ) : (
                      <button type="button" disabled={save.busy} onClick={() => restore(v.version)}>
                        恢复此版
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

export function GuidesPage({ user, query }: PageProps) {
  const isAdmin = user.role === 'admin';
  const departments = useApi<{ departments: DepartmentItem[] }>('/api/departments');
  const depts = departments.data?.departments ?? [];
  const [departmentId, setDepartmentId] = useState(query.get('departmentId') ?? '');
  const list = useApi<GuideListT>(departmentId ? `/api/guides?departmentId=${departmentId}` : null);
  const [editing, setEditing] = useState<GuideT | 'new' | null>(null);
  const [saved, setSaved] = useState('');
  const open = useAction('打开失败，请检查网络');

  useEffect(() => {
    if (!departmentId && depts.length) setDepartmentId(String(depts[0]!.id));
  }, [depts.length]);

  const edit = (id: number) =>
    open.run(async () => {
      setSaved('');
      setEditing(await api<GuideT>(`/api/guides/${id}`));
    });

  return (
    <section aria-labelledby="guides-title">
      <h1 id="guides-title">办事指南</h1>
      <p class="muted">
        每个事项一份指南：材料、流程、时限、收费、依据和办理地点。群众扫指南二维码或在窗口评价页点“办事指南”查看；每次保存都保留历史版本。
      </p>
      <ErrorText message={departments.error ?? list.error ?? open.error} />
      <div class="row-form">
        <SelectField
          label="部门"
          value={departmentId}
          onChange={(v) => {
            setDepartmentId(v);
            setEditing(null);
            setSaved('');
          }}
        >
          <NamedOptions units={depts} />
        </SelectField>
        {departmentId && (
          <button type="button" onClick={() => void open.run(() => openPrintSheet(`/api/departments/${departmentId}/guide-wall`))}>
            打印二维码墙
          </button>
        )}
        {isAdmin && departmentId && (
          <button
            type="button"
            onClick={() => {
              setSaved('');
              setEditing('new');
            }}
          >
            新建指南
          </button>
        )}
      </div>
      {saved && <p role="status">{saved}</p>}
      {editing && (
        <GuideEditor
          key={editing === 'new' ? `new-${departmentId}` : `${editing.id}-${editing.version}`}
          departmentId={Number(departmentId)}
          guide={editing === 'new' ? null : editing}
          onSaved={(g, message) => {
            setEditing(g);
            setSaved(message);
            list.reload();
          }}
        />
      )}
      <table>
        <thead>
          <tr>
            <th>事项</th>
            <th>承诺时限</th>
            <th>更新</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.guides ?? []).map((g) => (
            <tr key={g.id}>
              <td>{g.taskName}</td>
              <td>{g.promisedDays === null ? '—' : g.promisedDays === 0 ? '即办' : `${g.promisedDays} 个工作日`}</td>
              <td>{formatTime(g.updatedAt)}</td>
              <td class="row-actions">
                <a href={`/g/${g.id}`} target="_blank" rel="noopener">
                  群众页面
                </a>
                <a href={`/api/guides/${g.id}/qr.svg`} target="_blank" rel="noopener">
                  二维码
                </a>
                {isAdmin && (
                  <button type="button" onClick={() => void edit(g.id)}>
                    编辑
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && list.data.guides.length === 0 && <p class="muted">该部门还没有办事指南。</p>}
    </section>
  );
}
