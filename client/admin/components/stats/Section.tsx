import type { ComponentChildren } from 'preact';
import { ErrorText } from '../ErrorText.js';

/** A GET's state as useApi gives it. */
export interface Loading<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/** A block of the dashboard with its loading and error states. */
export function Section<T>({ title, state, children }: { title?: string; state: Loading<T>; children: (data: T) => ComponentChildren }) {
  return (
    <section class="stats-section" aria-busy={state.loading} aria-label={title}>
      {title && <h2>{title}</h2>}
      <ErrorText message={state.error} />
      {state.data ? children(state.data) : !state.error && <p class="muted">加载中…</p>}
    </section>
  );
}
