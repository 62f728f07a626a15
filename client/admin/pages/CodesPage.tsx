import { useEffect, useRef, useState } from 'preact/hooks';
import type { CodeListT } from '../../../shared/api/codes.js';
import { CODE_TEXT_SORTS, type CodeSort } from '../../../shared/domain.js';
import { openAuthed } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { BulkCreateCodes } from '../components/BulkCreateCodes.js';
import { CodeRow } from '../components/CodeRow.js';
import type { CodeItem, DepartmentItem } from '../components/code-types.js';
import { ErrorText } from '../components/ErrorText.js';
import { CheckField, NamedOptions, SelectField } from '../components/Fields.js';
import { Pager, pageOf } from '../components/Pager.js';
import { openPrintSheet } from '../components/print-sheet.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

const PAGE = 50;
/** The list's own order (department, then window): how the page opens. */
const PRINT_ORDER = { key: 'department', order: 'asc' } as const satisfies { key: CodeSort; order: 'asc' | 'desc' };

/** The orders offered beside the filters: on a phone the cards have no column headings to sort by. */
const SORT_CHOICES: ReadonlyArray<readonly [key: CodeSort, label: string]> = [
  ['department', '打印顺序（按部门）'],
  ['code', '码号'],
  ['location', '位置'],
  ['opens30d', '近30天扫码（多的在前）'],
  ['submissions30d', '近30天评价（多的在前）'],
  ['lastOpenDay', '最近扫码（近的在前）'],
  ['alert', '有提示的在前'],
];

type StatusFilter = '' | 'true' | 'false';

/** 评议码: codes by department with their scan funnel; admins disable, relabel and create them. */
export function CodesPage({ user, query }: PageProps) {
  const isAdmin = user.role === 'admin';
  const departments = useApi<{ departments: DepartmentItem[] }>('/api/departments');
  const depts = departments.data?.departments ?? [];
  const [departmentId, setDepartmentId] = useState<string>(query.get('departmentId') ?? '');
  const [status, setStatus] = useState<StatusFilter>('');
  const [alertsOnly, setAlertsOnly] = useState(false);
  const [sort, setSort] = useState<{ key: CodeSort; order: 'asc' | 'desc' }>(PRINT_ORDER);
  const [offset, setOffset] = useState(0);
  const download = useAction('操作失败，请检查网络');
  const top = useRef<HTMLParagraphElement>(null);

  // A head of one department has nothing to choose between.
  useEffect(() => {
    if (!departmentId && depts.length === 1) setDepartmentId(String(depts[0]!.id));
  }, [depts.length]);

  /** A change of filter or order starts again at page 1. */
  const fromStart =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setOffset(0);
    };
  function sortBy(key: string) {
    const k = key as CodeSort;
    const fresh = CODE_TEXT_SORTS.includes(k) ? 'asc' : 'desc';
    fromStart(setSort)(sort.key === k ? { key: k, order: sort.order === 'asc' ? 'desc' : 'asc' } : { key: k, order: fresh });
  }
  function turnTo(next: number) {
    setOffset(next);
    top.current?.scrollIntoView({ block: 'nearest' });
  }

  const params = new URLSearchParams({ sort: sort.key, order: sort.order, limit: String(PAGE), offset: String(offset) });
  if (departmentId) params.set('departmentId', departmentId);
  if (status) params.set('active', status);
  if (alertsOnly) params.set('alerted', 'true');
  const list = useApi<CodeListT>(`/api/codes?${params}`);
  const [rows, setRows] = useState<CodeItem[] | null>(null);
  useEffect(() => setRows(list.data?.codes ?? null), [list.data]);

  const shown = rows ?? [];
  const total = list.data?.total ?? 0;
  const { page, pages } = pageOf(total, offset, PAGE);
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
        <SelectField label="部门" value={departmentId} onChange={fromStart(setDepartmentId)}>
          <option value="">全部部门</option>
          <NamedOptions units={depts} />
        </SelectField>
        <SelectField label="状态" value={status} onChange={(value) => fromStart(setStatus)(value as StatusFilter)}>
          <option value="">全部</option>
          <option value="true">启用</option>
          <option value="false">已停用</option>
        </SelectField>
        <CheckField label="只看有提示的码" checked={alertsOnly} onChange={fromStart(setAlertsOnly)} />
        <SelectField
          label="排序"
          value={SORT_CHOICES.some(([k]) => k === sort.key) ? sort.key : ''}
          onChange={(key) => {
            const k = key as CodeSort;
            fromStart(setSort)({ key: k, order: CODE_TEXT_SORTS.includes(k) ? 'asc' : 'desc' });
          }}
        >
          {!SORT_CHOICES.some(([k]) => k === sort.key) && <option value="">按列排序中</option>}
          {SORT_CHOICES.map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </SelectField>
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
      <p role="status" class="muted" ref={top}>
        {list.loading && !rows ? '加载中…' : `共 ${total} 个评议码 · 第 ${page}/${pages} 页${list.loading ? '（加载中…）' : ''}`}
      </p>
      <div class="table-scroll">
        <table class="data codes cards">
          <caption class="sr-only">评议码及近 30 天扫码漏斗</caption>
          <ColumnHeads
            sorting={{ ...sort, onSort: sortBy }}
            columns={[
              { label: '评议码', sort: 'code' },
              { label: '部门', sort: 'department' },
              { label: '位置', sort: 'location' },
              '状态',
              num('近30天扫码', 'opens30d'),
              num('近30天评价', 'submissions30d'),
              { label: '最近扫码', sort: 'lastOpenDay' },
              { label: '提示', sort: 'alert' },
              '操作',
            ]}
          />
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
      {total > PAGE && <Pager total={total} offset={offset} pageSize={PAGE} onOffset={turnTo} />}
    </section>
  );
}
