import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { chinaMonth } from '../../shared/china-time.js';
import { ColumnHeads, num } from '../shared/ColumnHeads.js';
import { FigureCells } from '../shared/FigureCells.js';
import './public.css';
import { Suggestions } from './suggestions.js';

// 公开: the monthly department rankings (no login). Department figures only, no personal data.

interface PublicDepartment {
  name: string;
  orgUnitName: string;
  total: number;
  goodRate: number | null;
  score: number | null;
  rank: number | null;
  insufficient: boolean;
  badCount: number;
  validBad: number;
  rectifiedCount: number;
  rectifyRate: number | null;
  finishedMatters: number;
  ratingRate: number | null;
  activeGoodRate: number | null;
  cannotHandleReports: number;
  cannotHandleSolved: number;
}

interface Rankings {
  month: string;
  minSample: number;
  orgUnit: { id: number; name: string } | null;
  orgUnits: { id: number; parentId: number | null; kind: 'city' | 'county'; name: string }[];
  departments: PublicDepartment[];
}

/** The figure columns, in order (their headings, and each figure's name in the phone layout's cards). */
const FIGURES = ['评价数', '好评率', '主动评价好评率', '评价率', '综合评分', '差评整改', '办不成事'];

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const currentMonth = () => chinaMonth(Date.now());

function readParams(): { month: string; orgUnitId: string } {
  const p = new URLSearchParams(location.search);
  const month = p.get('month');
  return { month: month && /^\d{4}-\d{2}$/.test(month) ? month : currentMonth(), orgUnitId: p.get('orgUnitId') ?? '' };
}

function PublicPage() {
  const [params, setParams] = useState(readParams);
  const [data, setData] = useState<Rankings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const q = new URLSearchParams({ month: params.month });
    if (params.orgUnitId) q.set('orgUnitId', params.orgUnitId);
    history.replaceState(null, '', `${location.pathname}?${q}`);
    let live = true;
    setLoading(true);
    fetch(`/api/public/rankings?${q}`)
      .then(async (res) => {
        const body = (await res.json()) as Rankings & { message?: string };
        if (!res.ok) throw new Error(body.message ?? `加载失败（${res.status}）`);
        if (live) {
          setData(body);
          setError(null);
        }
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : '加载失败，请稍后再试'))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [params.month, params.orgUnitId]);

  const [y, m] = params.month.split('-');
  const scopeName = data?.orgUnit?.name ?? '全部地区';

  return (
    <main>
      <header>
        <h1>政务服务好差评 · 部门排名公示</h1>
        <p class="lead">群众扫码评价政务服务，每月公示各部门评价结果与差评整改情况。公示内容不含任何个人信息。</p>
      </header>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="筛选">
        <label>
          月份
          <input
            type="month"
            value={params.month}
            max={currentMonth()}
            onInput={(e) => {
              const v = (e.target as HTMLInputElement).value;
              if (/^\d{4}-\d{2}$/.test(v)) setParams({ ...params, month: v });
            }}
          />
        </label>
        {data && data.orgUnits.length > 1 && (
          <label>
            地区
            <select value={params.orgUnitId} onChange={(e) => setParams({ ...params, orgUnitId: (e.target as HTMLSelectElement).value })}>
              <option value="">全部地区</option>
              {data.orgUnits.map((u) => (
                <option key={u.id} value={String(u.id)}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div aria-busy={loading} aria-live="polite">
        {data && (
          // biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/useSemanticElements: the table's scroll box is a labelled region and must be focusable so a keyboard can scroll it (axe: scrollable-region-focusable); it is not a page section
          <div class="scroll" tabIndex={0} role="region" aria-label="部门排名表（可横向滚动）">
            <table class="rankings" data-testid="public-rankings">
              <caption>
                {scopeName} {y} 年 {Number(m)} 月 部门排名
              </caption>
              <ColumnHeads columns={[num('排名'), '部门', ...FIGURES.map((f) => num(f))]} />
              <tbody>
                {data.departments.length === 0 && (
                  <tr>
                    <td colSpan={9}>本月暂无数据。</td>
                  </tr>
                )}
                {data.departments.map((d, i) => (
                  <tr key={`${d.orgUnitName}-${d.name}-${i}`}>
                    <td class="num rank" data-label="排名">
                      {d.insufficient ? <span class="badge">样本不足</span> : d.rank}
                    </td>
                    <th scope="row">
                      {d.name}
                      {data.orgUnits.length > 2 && <span class="unit">{d.orgUnitName}</span>}
                    </th>
                    <FigureCells
                      labels={FIGURES}
                      figures={[
                        d.total,
                        pct(d.goodRate),
                        pct(d.activeGoodRate),
                        pct(d.ratingRate),
                        d.score === null ? '—' : d.score.toFixed(1),
                        d.validBad === 0 ? (d.badCount === 0 ? '无差评' : '—') : `已整改 ${d.rectifiedCount} / ${d.validBad}`,
                        d.cannotHandleReports === 0 ? '无' : `已解决 ${d.cannotHandleSolved} / ${d.cannotHandleReports}`,
                      ]}
                    />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <Suggestions />
      <footer>
        <p>
          说明：好评率 =（非常满意 + 满意 + 基本满意）/ 评价数；综合评分 = 平均分 × 20（满分 100）。排名依据好评率的 95%
          置信下限（评价越多越可靠），相同者依次比较综合评分、评价数；评价数少于 {data?.minSample ?? 10} 的部门标注“样本不足”，不参与排名。
          主动评价好评率 = 群众主动评价中的好评占比，不含办件超期未评价时的系统默认评价；评价率 = 当月办结的办件中群众评价过的占比。
          差评整改 = 经核实的有效差评中已完成整改的件数。办不成事 =
          当月群众反映“办不成事”的件数及其中已解决（办结且群众满意或基本满意）的件数。经复核认定的误评、恶意差评不计入统计。
        </p>
      </footer>
    </main>
  );
}

render(<PublicPage />, document.getElementById('app')!);
