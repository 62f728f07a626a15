// 办事指南 (GET /g/{id}) and a window's list of them (GET /g/?code=X): read-only, in the status bundle.
// Large type like every citizen page (长辈模式 in the header); the links lead to the window's rating
// page and to 办不成事 (/b/{code}, with the 事项 filled in), and to 金点子 (/i/{code}).

import type { GuideData, GuideListData } from './types';
import { Frame, Hotline } from './views';

const days = (n: number | null) => (n === null ? '—' : n === 0 ? '即办' : `${n} 个工作日`);

export function GuideView({ page }: { page: GuideData }) {
  const g = page.guide;
  const code = encodeURIComponent(page.code);
  return (
    <Frame>
      <h1>{g.taskName}</h1>
      <p class="loc">{g.departmentName}</p>
      <dl class="card facts">
        <dt>承诺时限</dt>
        <dd data-testid="promised">{days(g.promisedDays)}</dd>
        <dt>法定时限</dt>
        <dd>{days(g.legalDays)}</dd>
        <dt>收费</dt>
        <dd>{g.fees}</dd>
        <dt>办理地点</dt>
        <dd>{g.location}</dd>
        <dt>办理时间</dt>
        <dd>{g.hours}</dd>
        <dt>咨询电话</dt>
        <dd>
          <Hotline text={g.phone} />
        </dd>
      </dl>
      <h2>申请材料</h2>
      <ol class="card gl" data-testid="materials">
        {g.materials.map((m) => (
          <li>{m}</li>
        ))}
      </ol>
      <h2>办理流程</h2>
      <ol class="card gl">
        {g.steps.map((s) => (
          <li>{s}</li>
        ))}
      </ol>
      <h2>设定依据</h2>
      <p class="card said">{g.legalBasis}</p>
      {page.code && (
        <p>
          <a class="go primary" href={`/r/${code}`}>
            评价办理窗口
          </a>
          <a class="go" href={`/b/${code}?task=${encodeURIComponent(g.taskName)}`}>
            办不成事？向我们反映
          </a>
          <a class="go" href={`/i/${code}`}>
            我有金点子
          </a>
        </p>
      )}
    </Frame>
  );
}

export function GuideList({ page }: { page: GuideListData }) {
  const code = encodeURIComponent(page.code);
  return (
    <Frame>
      <h1>办事指南</h1>
      <p class="loc">
        {page.departmentName} {page.location}
      </p>
      {page.guides.length ? (
        <ul class="card gl">
          {page.guides.map((g) => (
            <li>
              <a href={`/g/${g.id}?code=${code}`}>{g.taskName}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="card">该窗口暂未发布办事指南，请咨询窗口工作人员。</p>
      )}
      <p>
        <a href={`/r/${code}`}>返回评价页</a>
      </p>
    </Frame>
  );
}
