import { useState } from 'preact/hooks';
import { RATING_CHANNEL_LABELS, RATING_CHANNELS, SCORE_LABELS, SCORES, type Score } from '../../../shared/domain.js';
import { ColumnHeads } from '../../shared/ColumnHeads.js';
import { formatTime } from '../components/cases/types.js';
import { ErrorText } from '../components/ErrorText.js';
import { InputField, LabelOptions, NamedOptions, SelectField } from '../components/Fields.js';
import { RatingDecisions } from '../components/held/RatingDecisions.js';
import { Pager } from '../components/Pager.js';
import { DateRangePicker } from '../components/stats/DateRangePicker.js';
import { qs, type Range, rangeFrom } from '../components/stats/format.js';
import type { RatingView as Rating, TagsResponse } from '../components/stats/types.js';
import { useApi } from '../components/use-api.js';
import { BASE, navigate } from '../router.js';
import type { PageProps } from '../routes.js';
import '../components/stats/stats.css';

const PAGE = 50;

/** The filters of the list, as the URL carries them (a link to the page is the list it shows). */
const FILTER_KEYS = [
  'departmentId',
  'codeId',
  'score',
  'kind',
  'realName',
  'tag',
  'hasComment',
  'held',
  'flagged',
  'channel',
  'bound',
  'includeExcluded',
] as const;
type Filter = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

/** Which ratings by their review state: one select for the four combinations of held/flagged/includeExcluded. */
const REVIEW = {
  '': { label: '计入统计的', q: {} },
  held: { label: '暂扣待核查', q: { held: 'true' } },
  flagged: { label: '被标记过（含暂扣、已排除）', q: { flagged: 'true', includeExcluded: 'true' } },
  all: { label: '全部（含未计入的）', q: { includeExcluded: 'true' } },
} as const satisfies Record<string, { label: string; q: Filter }>;
type Review = keyof typeof REVIEW;

function reviewOf(f: Filter): Review {
  if (f.held === 'true') return 'held';
  if (f.flagged === 'true') return 'flagged';
  if (f.includeExcluded === 'true') return 'all';
  return '';
}

/** 'score:5', 'kind:bad' or '': the level select's value. */
function levelOf(f: Filter): string {
  return f.score ? `score:${f.score}` : f.kind ? `kind:${f.kind}` : '';
}

function filterFrom(query: URLSearchParams): Filter {
  const f: Filter = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** The ratings behind a figure (every dashboard number links here with its filter), and the 评价 page. */
export function RatingsPage({ query, user }: PageProps) {
  const range = rangeFrom(query);
  const filter = filterFrom(query);
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const { data, error, loading } = useApi<{ total: number; totalCapped?: boolean; ratings: Rating[] }>(
    `/api/stats/ratings?${qs({ ...range, ...filter, limit: PAGE, offset })}`,
  );
  const go = (r: Range, f: Filter, o = 0) => navigate(`/ratings?${qs({ ...r, ...f, offset: o || undefined })}`);
  const filtered = Object.keys(filter).length > 0;

  return (
    <section>
      <h1>评价</h1>
      <DateRangePicker key={`${range.from}~${range.to}`} value={range} onChange={(r) => go(r, filter)} />
      <RatingFilters
        key={qs(filter)}
        filter={filter}
        range={range}
        showDepartments={user.role !== 'dept_head' || user.departmentIds.length > 1}
        onApply={(f) => go(range, f)}
      />
      <p class="muted" role="status">
        {/* A window's ratings (from the 可信度 page, the codes list): which window, in words. */}
        {filter.codeId && <>评议码 {filter.codeId}：</>}
        {range.from} 至 {range.to}
        {data && `，共 ${data.total}${data.totalCapped ? '+' : ''} 条，最新在前`}
        {loading && '（加载中…）'}
        {filter.includeExcluded === 'true' || filter.held === 'true'
          ? '（含未计入统计的评价，已注明）'
          : '（不含暂扣待核查、经复核排除的评价和被追评取代的评价）'}
      </p>
      <ErrorText message={error} />
      {data && data.ratings.length === 0 && (
        <p class="empty" data-testid="ratings-empty">
          {filtered ? '该条件下暂无评价。' : '该期间暂无评价。'}
          {filtered && (
            <a class="clear-filters" href={`${BASE}/ratings?${qs(range)}`}>
              清除筛选
            </a>
          )}
        </p>
      )}
      {data && data.ratings.length > 0 && (
        <>
          <div class="table-wrap" aria-busy={loading}>
            <table class="data cards ratings" data-testid="ratings-table">
              <caption class="sr-only">评价列表</caption>
              <ColumnHeads columns={['时间', '部门 / 位置', '评价', '标签', '留言', '手机号']} />
              <tbody>
                {data.ratings.map((r) => (
                  <tr key={r.id}>
                    <td class="nowrap when" data-label="时间">
                      {formatTime(r.createdAt)}
                    </td>
                    <td data-label="部门 / 位置">
                      {r.departmentName}
                      <br />
                      <span class="muted">
                        {r.location}（<span class="code-id-inline">{r.codeId}</span>）
                      </span>
                    </td>
                    <td data-label="评价">
                      <span class="pills">
                        <span class={r.score <= 2 ? 'badge bad' : 'badge ok'}>
                          {r.score} {r.wording}
                        </span>
                        {r.channel !== 'qr' && (
                          <span class="badge">
                            {RATING_CHANNEL_LABELS[r.channel]}
                            {r.assessNumber === 2 && ' · 追评'}
                          </span>
                        )}
                        {r.superseded && <span class="badge warn">已被追评取代</span>}
                      </span>
                      {r.flagged || r.excluded ? <RatingDecisions ratingId={r.id} /> : null}
                    </td>
                    <td data-label="标签">{r.tags.length > 0 ? r.tags.join('、') : <span class="muted">—</span>}</td>
                    <td class="comment" data-label="留言">
                      {r.comment || <span class="muted">—</span>}
                    </td>
                    <td class="nowrap" data-label="手机号">
                      {r.phone ?? '匿名'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.total > PAGE && <Pager total={data.total} offset={offset} pageSize={PAGE} onOffset={(o) => go(range, filter, o)} />}
        </>
      )}
    </section>
  );
}

/** The filters other than the period: edited here, applied (into the URL) by 筛选. */
function RatingFilters({
  filter,
  range,
  showDepartments,
  onApply,
}: {
  filter: Filter;
  range: Range;
  showDepartments: boolean;
  onApply: (f: Filter) => void;
}) {
  const [level, setLevel] = useState(levelOf(filter));
  const [review, setReview] = useState<Review>(reviewOf(filter));
  const [dept, setDept] = useState(filter.departmentId ?? '');
  const [code, setCode] = useState(filter.codeId ?? '');
  const [tag, setTag] = useState(filter.tag ?? '');
  const [comment, setComment] = useState(filter.hasComment ?? '');
  const [channel, setChannel] = useState(filter.channel ?? '');
  const [bound, setBound] = useState(filter.bound ?? '');
  const [realName, setRealName] = useState(filter.realName ?? '');
  const departments = useApi<{ departments: { id: number; name: string }[] }>(showDepartments ? '/api/departments' : null);
  // The tags given in the period (most used first), and the one asked for if none was.
  const tags = useApi<TagsResponse>(`/api/stats/tags?${qs({ ...range, departmentId: dept || undefined })}`);
  const tagChoices = [...new Set([...(tags.data?.tags.map((t) => t.tag) ?? []), ...(filter.tag ? [filter.tag] : [])])];

  function apply(e: Event) {
    e.preventDefault();
    const [levelKey, levelValue] = level.split(':') as ['score' | 'kind' | '', string];
    onApply({
      departmentId: dept || undefined,
      codeId: code.trim() || undefined,
      ...(levelKey ? { [levelKey]: levelValue } : {}),
      tag: tag || undefined,
      hasComment: comment || undefined,
      channel: channel || undefined,
      bound: bound || undefined,
      realName: realName || undefined,
      ...REVIEW[review].q,
    });
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser the county runs; role=search on the form is the equivalent
    <form class="toolbar rating-filters" role="search" aria-label="筛选评价" onSubmit={apply}>
      {showDepartments && (
        <SelectField label="部门" value={dept} onChange={setDept}>
          <option value="">全部部门</option>
          <NamedOptions units={departments.data?.departments} />
        </SelectField>
      )}
      <InputField label="评议码" value={code} onValue={setCode} maxLength={32} />
      <SelectField label="等级" value={level} onChange={setLevel}>
        <option value="">全部</option>
        <option value="kind:bad">差评（1–2）</option>
        <option value="kind:good">好评（3–5）</option>
        {[...SCORES].reverse().map((s) => (
          <option key={s} value={`score:${s}`}>
            {s} {SCORE_LABELS[s as Score]}
          </option>
        ))}
      </SelectField>
      <SelectField label="理由标签" value={tag} onChange={setTag}>
        <option value="">全部</option>
        {tagChoices.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </SelectField>
      <SelectField label="留言" value={comment} onChange={setComment}>
        <option value="">全部</option>
        <option value="true">有留言</option>
        <option value="false">无留言</option>
      </SelectField>
      <SelectField label="渠道" value={channel} onChange={setChannel}>
        <option value="">全部</option>
        <LabelOptions values={RATING_CHANNELS} labels={RATING_CHANNEL_LABELS} />
      </SelectField>
      <SelectField label="办件" value={bound} onChange={setBound}>
        <option value="">全部</option>
        <option value="true">绑定办件的</option>
        <option value="false">未绑定办件的</option>
      </SelectField>
      <SelectField label="实名" value={realName} onChange={setRealName}>
        <option value="">全部</option>
        <option value="true">实名</option>
        <option value="false">匿名</option>
      </SelectField>
      <SelectField label="核查状态" value={review} onChange={(v) => setReview(v as Review)}>
        {Object.entries(REVIEW).map(([k, v]) => (
          <option key={k} value={k}>
            {v.label}
          </option>
        ))}
      </SelectField>
      <button type="submit">筛选</button>
    </form>
  );
}
