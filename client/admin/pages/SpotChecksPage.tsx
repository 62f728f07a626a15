import { useState } from 'preact/hooks';
import type { SpotCheckDraw as Draw } from '../../../shared/api/cases.js';
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

/** 好评抽查: draw a month's spot checks (reproducible with a seed) and see every draw made. */
export function SpotChecksPage({ user }: PageProps) {
  const { data, error, reload } = useApi<{ draws: Draw[] }>('/api/spot-checks');
  const [month, setMonth] = useState(lastMonth);
  const [seed, setSeed] = useState('');
  const [result, setResult] = useState<{ draw: Draw; cases: CaseItem[] } | null>(null);
  const drawing = useAction('抽取失败');

  const submit = drawing.onSubmit(async () => {
    const res = await api<{ draw: Draw; cases: CaseItem[] }>('/api/spot-checks/draw', {
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
        条），回访核实评价是否为本人真实意愿、未受引导。填写相同的随机种子，对同样的数据会抽出同样的评价。
      </p>
      {user.role === 'supervisor' && (
        <form class="inline-form" onSubmit={submit} aria-label="抽取">
          <InputField label="月份" type="month" required value={month} onValue={setMonth} />
          <InputField label="随机种子（选填）" value={seed} maxLength={100} placeholder="留空则随机生成并记录" onValue={setSeed} />
          <button type="submit" disabled={drawing.busy}>
            抽取
          </button>
          <ErrorText message={drawing.error} inline />
        </form>
      )}
      {result && (
        <div class="card" role="status">
          <p>
            已从 {result.draw.eligible} 条符合条件的实名好评中抽取 {result.draw.drawn} 条（种子：<code>{result.draw.seed}</code>）。
          </p>
          <CaseTable cases={result.cases} />
        </div>
      )}
      <h2>抽查记录</h2>
      <ErrorText message={error} />
      <table class="data">
        <ColumnHeads columns={['月份', '比例', num('符合条件'), num('抽取'), '随机种子', '抽取人', '时间']} />
        <tbody>
          {data?.draws.map((d) => (
            <tr key={d.id}>
              <td>{d.month}</td>
              <td>{Math.round(d.share * 1000) / 10}%</td>
              <td class="num">{d.eligible}</td>
              <td class="num">{d.drawn}</td>
              <td>
                <code>{d.seed}</code>
              </td>
              <td>{d.drawnByName ?? '—'}</td>
              <td>{formatTime(d.drawnAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
