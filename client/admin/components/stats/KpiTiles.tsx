import { FIGURE_HINTS, int, mattersLink, pct, type Range, ratingsLink, score } from './format.js';
import type { Indicators } from './types.js';

interface Tile {
  key: string;
  label: string;
  value: string;
  detail: string;
  href: string;
  /** What the figure means, on hover (the legend under the tiles says it for everyone). */
  hint?: string;
  /** Target of the indicator (docs/domain.md: 实名差评回访率 100%). */
  warn?: boolean;
}

/** Every indicator of docs/domain.md as a tile; each links to the ratings (or the 办件) behind it. */
export function KpiTiles({ data, range, departmentId }: { data: Indicators; range: Range; departmentId?: number }) {
  const f = { departmentId };
  const defaults = data.defaults > 0 ? ` · 默认评价 ${int(data.defaults)} 条` : '';
  const tiles: Tile[] = [
    { key: 'total', label: '评价数', value: int(data.total), detail: `实名 ${int(data.realNameCount)}`, href: ratingsLink(range, f) },
    {
      key: 'goodRate',
      label: '好评率',
      value: pct(data.goodRate),
      detail: `好评 ${int(data.goodCount)}${defaults}`,
      href: ratingsLink(range, { ...f, kind: 'good' }),
      hint: FIGURE_HINTS.goodRate,
    },
    {
      key: 'activeGoodRate',
      label: '主动评价好评率',
      value: pct(data.activeGoodRate),
      detail: data.defaults > 0 ? `不含默认评价 ${int(data.defaults)} 条` : '不含系统默认评价',
      href: ratingsLink(range, { ...f, kind: 'good' }),
      hint: FIGURE_HINTS.activeGoodRate,
    },
    {
      key: 'ratingRate',
      label: '评价率',
      value: pct(data.ratingRate),
      detail:
        data.finishedMatters > 0
          ? `${int(data.ratedMatters)} / ${int(data.finishedMatters)} 办件 · 未评价率 ${pct(unratedRate(data))}`
          : '本期无办结办件',
      // A department's 办件 by 经办人 and 事项; the scope's figures have no such page.
      href: departmentId !== undefined ? mattersLink(range, departmentId) : ratingsLink(range, f),
      hint: FIGURE_HINTS.ratingRate,
    },
    {
      key: 'badRate',
      label: '差评率',
      value: pct(data.badRate),
      detail: `差评 ${int(data.badCount)}`,
      href: ratingsLink(range, { ...f, kind: 'bad' }),
    },
    { key: 'score', label: '综合评分', value: score(data.score), detail: '满分 100', href: ratingsLink(range, f) },
    {
      key: 'visitRate',
      label: '实名差评回访率',
      value: pct(data.visitRate),
      detail: `${int(data.realNameBadVisited)} / ${int(data.realNameBad)}`,
      href: ratingsLink(range, { ...f, kind: 'bad', realName: true }),
      warn: data.visitRate !== null && data.visitRate < 1,
    },
    {
      key: 'rectifyRate',
      label: '差评整改率',
      value: pct(data.rectifyRate),
      detail: `${int(data.validRectified)} / ${int(data.validBad)} 有效差评`,
      href: ratingsLink(range, { ...f, kind: 'bad' }),
    },
    {
      key: 'satisfactionRate',
      label: '整改满意率',
      value: pct(data.satisfactionRate),
      detail: `${int(data.answeredSatisfied)} / ${int(data.answered)} 已反馈`,
      href: ratingsLink(range, { ...f, kind: 'bad' }),
    },
    {
      key: 'onTimeRate',
      label: '按期办结率',
      value: pct(data.onTimeRate),
      // Overdue open cases are late already (docs/domain.md, Indicators): in the denominator.
      detail: `${int(data.closedOnTime)} / (${int(data.closed)} 办结 + ${int(data.overdueOpen)} 逾期未办结)`,
      href: ratingsLink(range, { ...f, kind: 'bad' }),
    },
  ];
  return (
    <>
      <ul class="grid kpis" aria-label="指标">
        {tiles.map((t) => (
          <li key={t.key} class={t.warn ? 'kpi warn' : 'kpi'} data-testid={`kpi-${t.key}`}>
            <a href={t.href} title={t.hint}>
              <span class="k">{t.label}</span>
              <span class="v" data-testid={`kpi-${t.key}-value`}>
                {t.value}
              </span>
              <span class="d">{t.detail}</span>
              <span class="sr-only">（查看相关评价）</span>
            </a>
          </li>
        ))}
      </ul>
      <p class="note figure-legend" data-testid="figure-legend">
        {FIGURE_HINTS.goodRate}；{FIGURE_HINTS.activeGoodRate}；{FIGURE_HINTS.ratingRate}。
      </p>
    </>
  );
}

/** 未评价率 = 1 − 评价率, from the counts (exact where a difference of floats is not). */
export function unratedRate(d: { finishedMatters: number; ratedMatters: number }): number | null {
  return d.finishedMatters > 0 ? (d.finishedMatters - d.ratedMatters) / d.finishedMatters : null;
}
