import { useEffect, useState } from 'preact/hooks';
import { FUNNEL_ALERT_LABELS } from '../../../shared/domain.js';
import { openAuthed } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { BulkCreateCodes } from '../components/BulkCreateCodes.js';
import { CodeRow } from '../components/CodeRow.js';
import type { CodeItem, DepartmentItem } from '../components/code-types.js';
import { ErrorText } from '../components/ErrorText.js';
import { CheckField, NamedOptions, SelectField } from '../components/Fields.js';
import { openPrintSheet } from '../components/print-sheet.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

type StatusFilter = '' | 'true' | 'false';

/** 评议码: codes by department with their scan funnel; admins disable, relabel and create them. */
export function CodesPage({ user, query }: PageProps) {
  const isAdmin = user.role === 'admin';
  const departments = useApi<{ departments: DepartmentItem[] }>('/api/departments');
  const depts = departments.data?.departments ?? [];
  const [departmentId, setDepartmentId] = useState<string>(query.get('departmentId') ?? '');
  const [status, setStatus] = useState<StatusFilter>('');
  const [alertsOnly, setAlertsOnly] = useState(false);
  const download = useAction('操作失败，请检查网络');

  // A head of one department has nothing to choose between.
  useEffect(() => {
    if (!departmentId && depts.length === 1) setDepartmentId(String(depts[0]!.id));
  }, [depts.length]);

  const params = new URLSearchParams();
  if (departmentId) params.set('departmentId', departmentId);
  if (status) params.set('active', status);
  const qs = params.toString();
  const list = useApi<{ codes: CodeItem[] }>(`/api/codes${qs ? `?${qs}` : ''}`);
  const [rows, setRows] = useState<CodeItem[] | null>(null);
  useEffect(() => setRows(list.data?.codes ?? null), [list.data]);

  const all = rows ?? [];
  const shown = alertsOnly ? all.filter((c) => c.funnel.alert) : all;
  const alertCount = all.filter((c) => c.funnel.alert).length;
  const department = depts.find((d) => String(d.id) === departmentId) ?? null;
  const counties = [...new Map(depts.map((d) => [d.orgUnitId, d.orgUnitName])).entries()];

  function replaceRow(updated: CodeItem) {
    // Keep the row in place even when it no longer matches the status filter: the admin just acted on it.
    setRows((current) => (current ?? []).map((c) => (c.code === updated.code ? updated : c)));
  }

  return (
    <section aria-labelledby="codes-title">
      <h1 id="codes-title">评议码</h1>
      <ErrorText message={departments.error} />

      {/* biome-ignore lint/a11y/useSemanticElements: a toolbar row of filters, not a form section: a fieldset would add a border and legend */}
      <div class="toolbar" role="group" aria-label="筛选">
        <SelectField label="部门" value={departmentId} onChange={setDepartmentId}>
          <option value="">全部部门</option>
          <NamedOptions units={depts} />
        </SelectField>
        <SelectField label="状态" value={status} onChange={(value) => setStatus(value as StatusFilter)}>
          <option value="">全部</option>
          <option value="true">启用</option>
          <option value="false">已停用</option>
        </SelectField>
        <CheckField label="只看有提示的码" checked={alertsOnly} onChange={setAlertsOnly} />
      </div>

      {/* biome-ignore lint/a11y/useSemanticElements: a toolbar row of links and buttons, not form fields */}
      <div class="toolbar" role="group" aria-label="打印与下载">
        {department ? (
          <>
            <button
              type="button"
              class="primary"
              onClick={() => download.run(() => openPrintSheet(`/api/departments/${department.id}/posters`))}
            >
              打印海报（{department.name}）
            </button>
            <button
              type="button"
              onClick={() => download.run(() => openAuthed(`/api/departments/${department.id}/codes.zip`, `${department.name}-评议码.zip`))}
            >
              下载二维码压缩包
            </button>
          </>
        ) : (
          <span class="muted">选择部门后可打印该部门的海报。</span>
        )}
        {user.role !== 'dept_head' &&
          counties.map(([id, name]) => (
            <button key={id} type="button" onClick={() => download.run(() => openPrintSheet(`/api/org-units/${id}/posters`))}>
              打印{name}全部海报
            </button>
          ))}
      </div>
      <ErrorText message={download.error} />

      {isAdmin && depts.length > 0 && (
        <details class="card">
          <summary>批量新建评议码</summary>
          <BulkCreateCodes
            departments={depts.filter((d) => d.active)}
            defaultDepartmentId={department?.id ?? null}
            onCreated={() => list.reload()}
          />
        </details>
      )}

      <ErrorText message={list.error} />
      <p role="status" class="muted">
        {list.loading && !rows
          ? '加载中…'
          : `共 ${all.length} 个评议码，启用 ${all.filter((c) => c.active).length} 个；${alertCount} 个有提示（${FUNNEL_ALERT_LABELS.no_opens_30d}、${FUNNEL_ALERT_LABELS.opens_without_submissions}）。`}
      </p>
      <div class="table-scroll">
        <table class="data">
          <caption class="sr-only">评议码及近 30 天扫码漏斗</caption>
          <ColumnHeads columns={['评议码', '部门', '位置', '状态', num('近30天扫码'), num('近30天评价'), '最近扫码', '提示', '操作']} />
          <tbody>
            {shown.map((c) => (
              <CodeRow key={c.code} item={c} isAdmin={isAdmin} onChanged={replaceRow} />
            ))}
            {rows && shown.length === 0 && (
              <tr>
                <td colSpan={9}>没有符合条件的评议码。</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
