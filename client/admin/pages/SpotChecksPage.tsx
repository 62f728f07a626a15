import { useState } from 'preact/hooks';
import type { SpotCheckDraw as Draw, DrawResult } from '../../../shared/api/cases.js';
import { addMonths, chinaMonth } from '../../../shared/china-time.js';
import { api } from '../../shared/api.js';
import { ColumnHeads, num } from '../../shared/ColumnHeads.js';
import { CaseTable } from '../components/cases/CaseTable.js';
import type { CaseItem } from '../components/cases/types.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField } from '../components/Fields.js';
import { useAction } from '../components/use-action.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

function lastMonth(): string {
  return addMonths(chinaMonth(Date.now()), -1);
}

type Result = Omit<DrawResult, 'cases'> & { cases: CaseItem[] };

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** drawn of eligible, as a share ("—" of none). */
const shareOf = (drawn: number, eligible: number) => (eligible > 0 ? percent(drawn / eligible) : '—');

/**
 * Each month's totals over the draws listed: each draw considers only ratings no earlier draw of the
 * month considered, so the sums are the month's eligible ratings so far and the spot checks drawn.
 */
function monthTotals(draws: readonly Draw[]): { month: string; eligible: number; drawn: number }[] {
  const months = new Map<string, { month: string; eligible: number; drawn: number }>();
  for (const d of draws) {
    const m = months.get(d.month) ?? { month: d.month, eligible: 0, drawn: 0 };
    m.eligible += d.eligible;
    m.drawn += d.drawn;
    months.set(d.month, m);
  }
  return [...months.values()].sort((a, b) => b.month.localeCompare(a.month));
}

/** What a draw did, in words: what was new, what was drawn, and where the month stands. */
function DrawSummary({ result }: { result: Result }) {
  const { draw, monthTotal } = result;
  const month = `${draw.month} 累计：符合条件的实名好评 ${monthTotal.eligible} 条，已抽查 ${monthTotal.drawn} 条（${shareOf(monthTotal.drawn, monthTotal.eligible)}；设定比例 ${percent(draw.share)}）。`;
  return (
    <>
      <p>
        {draw.eligible > 0 ? (
          <>
            新增符合条件的实名好评 {draw.eligible} 条，本次抽取 {draw.drawn} 条（种子：<code>{draw.seed}</code>）。
          </>
        ) : monthTotal.eligible > 0 ? (
          <>{draw.month} 已抽查过，新增符合条件的好评 0 条，本次未抽取。</>
        ) : (
          <>{draw.month} 没有符合条件的实名好评，本次未抽取。</>
        )}
      </p>
      {monthTotal.eligible > 0 && <p>{month}</p>}
    </>
  );
}

/** 好评抽查: draw a month's spot checks (reproducible with a seed) and see every draw made. */
export function SpotChecksPage({ user, query }: PageProps) {
  const { data, error, reload } = useApi<{ draws: Draw[] }>('/api/spot-checks');
  // The home page links a month still to draw here (?month=YYYY-MM).
  const asked = query.get('month');
  const [month, setMonth] = useState(asked && /^\d{4}-\d{2}$/.test(asked) ? asked : lastMonth);
  const [seed, setSeed] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const drawing = useAction('抽取失败');

  const submit = drawing.onSubmit(async () => {
    const res = await api<Result>('/api/spot-checks/draw', {
      method: 'POST',
      body: { month, ...(seed.trim() ? { seed: seed.trim() } : {}) },
    });
    setResult(res);
    reload();
  });

  return (
    <section>
      <h1>好评抽查</h1>
      <p class="muted">
        按月从各部门的实名好评中按设定比例随机抽取（至少 1
        条），回访核实评价是否为本人真实意愿、未受引导。同一月份可以再次抽取：只从此前各次抽取之后新增的好评中抽， 全月合计仍按设定比例。
      </p>
      {user.role === 'supervisor' && (
        <form class="inline-form" onSubmit={submit} aria-label="抽取">
          <InputField label="月份" type="month" required value={month} onValue={setMonth} />
          <InputField label="随机种子（选填）" value={seed} maxLength={100} placeholder="留空则随机生成并记录" onValue={setSeed} />
          <p class="full muted">
            随机种子决定抽中哪几条评价：同样的种子对同样的数据抽出同样的评价，便于事后复核。一般留空，系统随机生成并记在下方抽查记录里。
          </p>
          <button type="submit" disabled={drawing.busy}>
            抽取
          </button>
          <ErrorText message={drawing.error} inline />
        </form>
      )}
      {result && (
        <div class="card" role="status">
          <DrawSummary result={result} />
          {result.cases.length > 0 && <CaseTable cases={result.cases} />}
        </div>
      )}
      <ErrorText message={error} />
      {data && data.draws.length > 0 && (
        <>
          <h2>各月累计</h2>
          <table class="data spot-months">
            <ColumnHeads columns={['月份', num('符合条件'), num('已抽查'), num('抽查比例')]} />
            <tbody>
              {monthTotals(data.draws).map((m) => (
                <tr key={m.month}>
                  <td>{m.month}</td>
                  <td class="num">{m.eligible}</td>
                  <td class="num">{m.drawn}</td>
                  <td class="num">{shareOf(m.drawn, m.eligible)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2 id="spot-draws">抽查记录</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/useSemanticElements: on a phone the table scrolls sideways and holds nothing a keyboard could reach, so its scroll box is a labelled, focusable region (axe: scrollable-region-focusable); it is not a page section */}
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="spot-draws">
        <table class="data spot-draws">
          <ColumnHeads columns={['月份', '比例', num('新增符合条件'), num('抽取'), '随机种子', '抽取人', '时间']} />
          <tbody>
            {data?.draws.map((d) => (
              <tr key={d.id}>
                <td class="nowrap">{d.month}</td>
                <td>{percent(d.share)}</td>
                <td class="num">{d.eligible}</td>
                <td class="num">{d.drawn}</td>
                <td>
                  <code>{d.seed}</code>
                </td>
                <td>{d.drawnByName ?? '—'}</td>
                <td class="nowrap">{formatTime(d.drawnAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
