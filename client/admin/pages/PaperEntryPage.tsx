// 录入问卷: a supervisor or administrator types in paper questionnaires (or 12345 return calls) of one
// window from the keyboard alone — score key, reasons by number or a few characters, comment, date —
// Enter adds the row, and one 提交 sends them all (POST /api/ratings/paper, all or nothing).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CodeListT } from '../../../shared/api/codes.js';
import type { PaperCreated, PaperEntryError, PaperForm } from '../../../shared/api/ratings.js';
import { ENTERED_CHANNELS, isBadScore, RATING_CHANNEL_LABELS, SCORE_LABELS, SCORES, type Score } from '../../../shared/domain.js';
import { ApiError, api, errorMessage } from '../../shared/api.js';
import { ErrorText } from '../components/ErrorText.js';
import { useApi } from '../components/use-api.js';
import type { PageProps } from '../routes.js';

type Channel = (typeof ENTERED_CHANNELS)[number];

interface Row {
  key: number;
  score: Score;
  tags: string[];
  comment: string;
  date: string;
  /** What the server said of this row (a 400 names each bad entry). */
  errors: string[];
}

interface Draft {
  score: string;
  tags: string;
  comment: string;
  date: string;
}

/** The reasons a typed filter picks: `1 3` by number, or a few characters of one reason each. */
function pickTags(text: string, list: readonly string[]): { tags: string[]; unknown: string[] } {
  const tags: string[] = [];
  const unknown: string[] = [];
  for (const token of text.split(/[\s,，、;；]+/).filter(Boolean)) {
    const n = /^\d+$/.test(token) ? Number(token) : Number.NaN;
    const matches = Number.isNaN(n) ? list.filter((t) => t.includes(token)) : list[n - 1] ? [list[n - 1]!] : [];
    if (matches.length === 1) {
      if (!tags.includes(matches[0]!)) tags.push(matches[0]!);
    } else unknown.push(token);
  }
  return { tags, unknown };
}

/** A typed date as YYYY-MM-DD: the full form, or month and day (M-D, MM-DD, MMDD) of the latest year that is not after `latest`. */
function normalDate(text: string, latest: string): string | null {
  const t = text
    .trim()
    .replace(/[./年月]/g, '-')
    .replace(/日$/, '');
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  const m = /^(\d{1,2})-?(\d{2})$/.exec(t) ?? /^(\d{1,2})-(\d{1,2})$/.exec(t);
  if (!m) return null;
  const md = `${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  const year = Number(latest.slice(0, 4));
  return `${year}-${md}` <= latest ? `${year}-${md}` : `${year - 1}-${md}`;
}

const emptyDraft = (date: string): Draft => ({ score: '', tags: '', comment: '', date });

/** 录入问卷 (supervisor, admin). */
export function PaperEntryPage({ query }: PageProps) {
  const codes = useApi<CodeListT>('/api/codes');
  const [code, setCode] = useState(query.get('code') ?? '');
  const [channel, setChannel] = useState<Channel>('paper');
  const form = useApi<PaperForm>(code ? `/api/ratings/paper/form?code=${encodeURIComponent(code)}` : null);
  const f = code && form.data?.code === code.toUpperCase() ? form.data : null;
  const [draft, setDraft] = useState<Draft>(emptyDraft(''));
  const [draftError, setDraftError] = useState<string | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [done, setDone] = useState<{ count: number; channel: Channel; cases: { row: number; caseNo: string }[] } | null>(null);
  const nextKey = useRef(1);
  const scoreRef = useRef<HTMLInputElement>(null);
  const tagsRef = useRef<HTMLInputElement>(null);

  // A window chosen: the date starts at its latest day, and typing starts at the score.
  useEffect(() => {
    if (!f) return;
    setDraft((d) => ({ ...d, date: d.date || f.latest }));
    scoreRef.current?.focus();
  }, [f?.code]);

  const score = Number(draft.score) as Score;
  const hasScore = SCORES.includes(score);
  const list = f && hasScore ? (isBadScore(score) ? f.tags.bad : f.tags.good) : [];
  const picked = pickTags(draft.tags, list);

  function add(e: Event) {
    e.preventDefault();
    if (!f) return;
    if (!hasScore) return fail('请先按 1–5 键输入评价等级', scoreRef.current);
    if (picked.unknown.length)
      return fail(`理由「${picked.unknown.join('」「')}」找不到唯一对应的理由，请输入编号或更多字`, tagsRef.current);
    const date = normalDate(draft.date, f.latest);
    if (!date) return fail('日期请写成 2026-11-23 或 11-23');
    if (date > f.latest || date < f.earliest) return fail(`日期须在 ${f.earliest} 至 ${f.latest} 之间`);
    if (rows.length >= f.entriesMax) return fail(`每次最多录入 ${f.entriesMax} 条，请先提交`);
    setRows([...rows, { key: nextKey.current++, score, tags: picked.tags, comment: draft.comment.trim(), date, errors: [] }]);
    setDraft(emptyDraft(date));
    setDraftError(null);
    setDone(null);
    scoreRef.current?.focus();
  }

  function fail(message: string, focus?: HTMLInputElement | null) {
    setDraftError(message);
    focus?.focus();
  }

  function remove(key: number) {
    setRows(rows.filter((r) => r.key !== key));
    scoreRef.current?.focus();
  }

  async function submit() {
    if (!f || rows.length === 0 || sending) return;
    setSending(true);
    setSendError(null);
    try {
      const sent = rows;
      const res = await api<PaperCreated>('/api/ratings/paper', {
        method: 'POST',
        body: {
          code: f.code,
          channel,
          entries: sent.map((r) => ({
            score: r.score,
            date: r.date,
            ...(r.tags.length && { tags: r.tags }),
            ...(r.comment && { comment: r.comment }),
          })),
        },
      });
      setDone({ count: res.ids.length, channel, cases: res.cases.map((c) => ({ row: c.index + 1, caseNo: c.caseNo })) });
      setRows([]);
    } catch (err) {
      setSendError(errorMessage(err, '提交失败，请稍后再试；已输入的问卷仍保留'));
      const entries = err instanceof ApiError ? ((err.body as { entries?: PaperEntryError[] } | null)?.entries ?? []) : [];
      setRows((now) => now.map((r, i) => ({ ...r, errors: entries.filter((x) => x.index === i).map((x) => x.message) })));
    } finally {
      setSending(false);
    }
  }

  // Ctrl+Enter (⌘+Enter) from anywhere on the page sends the list (the latest render's list).
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void submitRef.current();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const byDepartment = new Map<string, CodeListT['codes']>();
  for (const c of codes.data?.codes ?? []) byDepartment.set(c.departmentName, [...(byDepartment.get(c.departmentName) ?? []), c]);

  return (
    <section class="paper-entry">
      <h1>录入问卷</h1>
      <p class="muted">
        把纸质问卷或 12345
        回访的评价录入到一个窗口：每条和群众扫码评价一样计入统计，差评立即立差评必查案件，录入人记在评价上。全程可只用键盘：按 1–5
        键打分，理由输入编号（如 <kbd>1 3</kbd>）或几个字，<kbd>Enter</kbd> 添加一条，<kbd>Ctrl</kbd>+<kbd>Enter</kbd> 提交全部。
      </p>
      <div class="toolbar">
        <label>
          窗口（评议码）
          <select
            value={code}
            onChange={(e) => {
              setCode(e.currentTarget.value);
              setRows([]);
              setDone(null);
            }}
          >
            <option value="">请选择窗口</option>
            {[...byDepartment].map(([department, list]) => (
              <optgroup key={department} label={department}>
                {list.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.location}
                    {c.staffName ? ` · ${c.staffName}` : ''}
                    {c.active ? '' : '（已停用）'}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          来源
          <select value={channel} onChange={(e) => setChannel(e.currentTarget.value as Channel)}>
            {ENTERED_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {RATING_CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorText message={codes.error ?? form.error} />

      {done && (
        <section class="card paper-done" role="status" data-testid="paper-done">
          <h2>
            {done.count} 条已录入（{RATING_CHANNEL_LABELS[done.channel]}）
          </h2>
          {done.cases.length > 0 ? (
            <p>
              其中差评 {done.cases.length} 条，已立差评必查案件：
              {done.cases.map((c) => (
                <span key={c.caseNo} class="paper-case">
                  第 {c.row} 条 <strong>{c.caseNo}</strong>
                </span>
              ))}
            </p>
          ) : (
            <p class="muted">没有差评。</p>
          )}
        </section>
      )}

      {f && (
        <>
          <form class="inline-form paper-draft" onSubmit={add} aria-label="添加一条问卷">
            <p class="full">
              <strong>{f.departmentName}</strong> · {f.location}
              {f.staffName ? ` · ${f.staffName}` : ''}
              <span class="muted">
                （问卷日期 {f.earliest} 至 {f.latest}）
              </span>
            </p>
            <label class="paper-score">
              评价等级（1–5）
              <input
                ref={scoreRef}
                value={draft.score}
                inputMode="numeric"
                maxLength={1}
                autoComplete="off"
                aria-describedby="paper-score-help"
                onKeyDown={(e) => {
                  if (/^[1-5]$/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
                    e.preventDefault();
                    setDraft({ ...draft, score: e.key, tags: draft.score === e.key ? draft.tags : '' });
                    setDraftError(null);
                    tagsRef.current?.focus();
                  }
                }}
                onInput={(e) => {
                  const v = e.currentTarget.value.replace(/[^1-5]/g, '').slice(-1);
                  setDraft({ ...draft, score: v });
                }}
              />
              <span id="paper-score-help" class="paper-score-label">
                {hasScore ? SCORE_LABELS[score] : '5 非常满意 · 1 非常不满意'}
              </span>
            </label>
            <label class="grow">
              理由（编号或几个字，可多个）
              <input
                ref={tagsRef}
                value={draft.tags}
                autoComplete="off"
                aria-describedby="paper-tag-list"
                onInput={(e) => setDraft({ ...draft, tags: e.currentTarget.value })}
              />
            </label>
            <label class="grow">
              意见建议
              <input
                value={draft.comment}
                maxLength={500}
                autoComplete="off"
                onInput={(e) => setDraft({ ...draft, comment: e.currentTarget.value })}
              />
            </label>
            <label>
              问卷日期
              <input
                value={draft.date}
                size={10}
                autoComplete="off"
                placeholder={f.latest}
                onInput={(e) => setDraft({ ...draft, date: e.currentTarget.value })}
              />
            </label>
            <button type="submit">添加（Enter）</button>
            <ol id="paper-tag-list" class="paper-tags full" aria-label="可选理由">
              {list.map((t) => (
                <li key={t} class={picked.tags.includes(t) ? 'on' : undefined}>
                  {t}
                </li>
              ))}
            </ol>
            {draftError && (
              <p class="full error" role="alert">
                {draftError}
              </p>
            )}
          </form>

          <section class="card" aria-labelledby="paper-list-title">
            <h2 id="paper-list-title">待提交 {rows.length} 条</h2>
            {rows.length > 0 && (
              <div class="table-scroll">
                <table class="data paper-rows" data-testid="paper-rows">
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">等级</th>
                      <th scope="col">理由</th>
                      <th scope="col">意见建议</th>
                      <th scope="col">日期</th>
                      <th scope="col">
                        <span class="sr-only">操作</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={r.key} class={r.errors.length ? 'paper-bad' : isBadScore(r.score) ? 'paper-low' : undefined}>
                        <td>{i + 1}</td>
                        <td>
                          {r.score} <span class="paper-score-word">{SCORE_LABELS[r.score]}</span>
                        </td>
                        <td>{r.tags.join('、')}</td>
                        <td>{r.comment}</td>
                        <td>{r.date}</td>
                        <td>
                          <button type="button" class="link" onClick={() => remove(r.key)} aria-label={`删除第 ${i + 1} 条`}>
                            删除
                          </button>
                          {r.errors.map((m) => (
                            <p key={m} class="error">
                              {m}
                            </p>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <div class="row-actions paper-actions">
              <button type="button" class="primary" disabled={rows.length === 0 || sending} onClick={() => void submit()}>
                提交 {rows.length} 条（Ctrl+Enter）
              </button>
              {sendError && (
                <span class="error" role="alert">
                  {sendError}
                </span>
              )}
            </div>
          </section>
        </>
      )}
    </section>
  );
}
