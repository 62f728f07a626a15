// The reasons of one class (差评 or 好评) on the settings page: renamed in place, added, removed and
// moved up or down with buttons (keyboard and touch alike; there is no drag).
import { useLayoutEffect, useState } from 'preact/hooks';
import { TAG_LIMITS } from '../../../../shared/domain.js';

/** What is wrong with a list, said per item (index → message) and for the list; none: `{}` and null. */
export function tagProblems(tags: readonly string[], other: readonly string[], otherName: string) {
  const items: Record<number, string> = {};
  const first = new Map<string, number>();
  tags.forEach((raw, i) => {
    const tag = raw.trim();
    if (tag === '') items[i] = '不能为空：请填写理由或删除这一项';
    else if ([...tag].length > TAG_LIMITS.maxLength) items[i] = `最多 ${TAG_LIMITS.maxLength} 个字`;
    else if (first.has(tag)) items[i] = `与第 ${first.get(tag)! + 1} 项重复`;
    else if (other.some((o) => o.trim() === tag)) items[i] = `已列在${otherName}中：一个理由只能属于一类`;
    if (!first.has(tag)) first.set(tag, i);
  });
  const list =
    tags.length < TAG_LIMITS.minItems
      ? `至少要有 ${TAG_LIMITS.minItems} 个理由`
      : tags.length > TAG_LIMITS.maxItems
        ? `最多 ${TAG_LIMITS.maxItems} 个理由`
        : null;
  return { items, list };
}

interface Props {
  /** 'bad' or 'good': names the ids. */
  kind: 'bad' | 'good';
  /** 差评理由 / 好评理由 */
  name: string;
  /** When the citizen page lists them (which levels). */
  when: string;
  tags: string[];
  /** The other class's list, for the check that no reason is in both. */
  other: string[];
  otherName: string;
  editable: boolean;
  onChange: (tags: string[]) => void;
}

export function TagEditor({ kind, name, when, tags, other, otherName, editable, onChange }: Props) {
  const [adding, setAdding] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  // After a move or a removal, the control that keeps the keyboard's place (its id), focused as soon
  // as it is drawn (before a next key press could land on the control that was there before).
  const [focusNext, setFocusNext] = useState<string | null>(null);
  useLayoutEffect(() => {
    if (!focusNext) return;
    document.getElementById(focusNext)?.focus();
    setFocusNext(null);
  }, [focusNext]);

  const id = (i: number, part: string) => `tag-${kind}-${i}-${part}`;
  const { items, list } = tagProblems(tags, other, otherName);
  const full = tags.length >= TAG_LIMITS.maxItems;

  function move(i: number, by: -1 | 1) {
    const j = i + by;
    const next = [...tags];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
    // Keep the keyboard on the moved reason: the same button, or the other one at the list's end.
    const atEnd = by < 0 ? j === 0 : j === tags.length - 1;
    setFocusNext(id(j, atEnd ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down'));
  }

  function remove(i: number) {
    onChange(tags.filter((_, k) => k !== i));
    setFocusNext(tags.length > 1 ? id(Math.min(i, tags.length - 2), 'name') : `tag-${kind}-new`);
  }

  function add(e: Event) {
    e.preventDefault();
    const tag = adding.trim();
    const problem =
      tag === ''
        ? '请先填写理由'
        : tags.some((t) => t.trim() === tag)
          ? `「${tag}」已在${name}中`
          : other.some((t) => t.trim() === tag)
            ? `「${tag}」已列在${otherName}中：一个理由只能属于一类`
            : null;
    setAddError(problem);
    if (problem) return;
    onChange([...tags, tag]);
    setAdding('');
  }

  if (!editable) {
    return (
      <div class="tag-group">
        <h4>{name}</h4>
        <p class="muted">{when}</p>
        <ol class="tag-readonly">
          {tags.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ol>
      </div>
    );
  }

  return (
    <fieldset class="tag-group" aria-describedby={`tag-${kind}-when`}>
      <legend>
        {name}（{tags.length} 个）
      </legend>
      <p class="muted" id={`tag-${kind}-when`}>
        {when}
      </p>
      <ol class="tag-list">
        {tags.map((tag, i) => (
          // Keyed by place: renaming a reason keeps its input (and the keyboard) where it is.
          <li key={i}>
            <span class="tag-no" aria-hidden="true">
              {i + 1}
            </span>
            <input
              id={id(i, 'name')}
              aria-label={`${name}第 ${i + 1} 项`}
              aria-invalid={items[i] ? true : undefined}
              aria-describedby={items[i] ? id(i, 'err') : undefined}
              value={tag}
              maxLength={TAG_LIMITS.maxLength}
              onInput={(e) => onChange(tags.map((t, k) => (k === i ? e.currentTarget.value : t)))}
            />
            <span class="tag-moves">
              <button type="button" id={id(i, 'up')} disabled={i === 0} onClick={() => move(i, -1)} aria-label={`上移「${tag}」`}>
                上移
              </button>
              <button
                type="button"
                id={id(i, 'down')}
                disabled={i === tags.length - 1}
                onClick={() => move(i, 1)}
                aria-label={`下移「${tag}」`}
              >
                下移
              </button>
              <button type="button" disabled={tags.length <= TAG_LIMITS.minItems} onClick={() => remove(i)} aria-label={`删除「${tag}」`}>
                删除
              </button>
            </span>
            {items[i] && (
              <span class="error field-error" id={id(i, 'err')}>
                {items[i]}
              </span>
            )}
          </li>
        ))}
      </ol>
      {list && (
        <p class="error" role="alert">
          {list}
        </p>
      )}
      <div class="tag-add">
        <label for={`tag-${kind}-new`}>新增{name}</label>
        <input
          id={`tag-${kind}-new`}
          value={adding}
          maxLength={TAG_LIMITS.maxLength}
          disabled={full}
          aria-describedby={`tag-${kind}-new-hint${addError ? ` tag-${kind}-new-err` : ''}`}
          aria-invalid={addError ? true : undefined}
          onInput={(e) => setAdding(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter adds the reason rather than saving the whole form.
            if (e.key === 'Enter') add(e);
          }}
        />
        <button type="button" onClick={add} disabled={full}>
          添加
        </button>
        <span class="muted" id={`tag-${kind}-new-hint`}>
          {full ? `已有 ${TAG_LIMITS.maxItems} 个，达到上限` : `1–${TAG_LIMITS.maxLength} 字，加在列表末尾`}
        </span>
        {addError && (
          <span class="error" role="alert" id={`tag-${kind}-new-err`}>
            {addError}
          </span>
        )}
      </div>
    </fieldset>
  );
}
