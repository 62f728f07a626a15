import { CaseTable } from '../components/cases/CaseTable.js';
import type { CaseList } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

/** 待整改: the cases of the head's departments that wait on them, overdue first. */
export function TodoPage({ user }: PageProps) {
  const { data, error } = useApi<CaseList>('/api/cases?actionable=true&sort=queue&limit=200');
  return (
    <section>
      <h1>待整改</h1>
      <p class="muted">需要{user.role === 'dept_head' ? '本部门' : '您'}处理的案件：回访核实、整改、提交整改措施与反馈。超期的排在最前。</p>
      <ErrorText message={error} />
      {data && (
        <>
          <p role="status" class="muted">
            共 {data.total} 件待办
          </p>
          <CaseTable
            cases={data.cases}
            showDepartment={user.departmentIds.length !== 1}
            viewer={user.role}
            empty="暂无待整改案件：本部门没有等待处理的案件。"
          />
        </>
      )}
    </section>
  );
}
