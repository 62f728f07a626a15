import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlotType from 'uplot';
import { ColumnHeads, num } from '../../../shared/ColumnHeads.js';
import { FigureCells } from '../../../shared/FigureCells.js';
import { int, pct, score } from './format.js';
import type { TrendResponse } from './types.js';

// uPlot (≈ 50 KB) is loaded only when a chart is shown, so the staff app's first load stays small.
let uPlotLoader: Promise<typeof uPlotType> | null = null;
function loadUPlot(): Promise<typeof uPlotType> {
  uPlotLoader ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return uPlotLoader;
}

const GRANULARITY_LABEL = { day: '按日', week: '按周', month: '按月' } as const;

/** 评价数 / 差评数 bars-as-lines and 好评率 on its own axis; the same figures as a table for screen readers. */
export function TrendChart({ data, title = '趋势' }: { data: TrendResponse; title?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let chart: uPlotType | null = null;
    let resized: ResizeObserver | null = null;
    let live = true;
    const el = box.current;
    if (!el) return;
    loadUPlot()
      .then((uPlot) => {
        if (!live) return;
        const xs = data.points.map((p) => Date.parse(`${p.from}T00:00:00Z`) / 1000);
        // As wide as its box, and again whenever the box changes (a phone turned, a window resized):
        // a fixed width cut the right-hand axis and the legend off on a phone.
        const width = el.clientWidth || 640;
        chart = new uPlot(
          {
            width,
            height: 260,
            tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
            scales: { x: { time: true }, n: { auto: true }, r: { range: [0, 100] } },
            axes: [{}, { scale: 'n', label: '评价数' }, { scale: 'r', side: 1, label: '好评率 %', grid: { show: false } }],
            series: [
              { label: '日期', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) },
              { label: '评价数', scale: 'n', stroke: '#0b57d0', width: 2 },
              { label: '差评数', scale: 'n', stroke: '#b3261e', width: 2 },
              { label: '好评率 %', scale: 'r', stroke: '#1b6e3a', width: 2, dash: [6, 4] },
            ],
          },
          [
            xs,
            data.points.map((p) => p.total),
            data.points.map((p) => p.badCount),
            data.points.map((p) => (p.goodRate === null ? null : Math.round(p.goodRate * 1000) / 10)),
          ],
          el,
        );
        resized = new ResizeObserver(() => {
          if (chart && el.clientWidth > 0 && el.clientWidth !== chart.width) chart.setSize({ width: el.clientWidth, height: 260 });
        });
        resized.observe(el);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      resized?.disconnect();
      chart?.destroy();
    };
  }, [data]);

  return (
    <figure class="card chart">
      <figcaption>
        {title}（{GRANULARITY_LABEL[data.granularity]}）
      </figcaption>
      <div ref={box} class="chart-box" aria-hidden="true" />
      {failed && <p class="error">图表加载失败，请查看下方数据表。</p>}
      <details>
        <summary>查看数据表</summary>
        <table class="data">
          <caption class="sr-only">{title}数据</caption>
          <ColumnHeads columns={['时段', num('评价数'), num('差评数'), num('好评率'), num('综合评分')]} />
          <tbody>
            {data.points.map((p) => (
              <tr key={p.from}>
                <td>{p.from === p.to ? p.from : `${p.from} 至 ${p.to}`}</td>
                <FigureCells figures={[int(p.total), int(p.badCount), pct(p.goodRate), score(p.score)]} />
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
