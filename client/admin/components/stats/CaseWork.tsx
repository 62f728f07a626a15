import type { ComponentChildren } from 'preact';
import { int } from './format.js';
import { type Loading, Section } from './Section.js';
import type { CasesResponse } from './types.js';

/** 差评处理: how the 差评 cases stand, in a sentence, and a link to the cases themselves. */
export function CaseWork({
  state,
  testId,
  href,
  linkText,
  children,
}: {
  state: Loading<CasesResponse>;
  testId: string;
  href: string;
  linkText: string;
  children: (cases: CasesResponse) => ComponentChildren;
}) {
  return (
    <Section title="差评处理" state={state}>
      {(cases) => (
        <div class="card case-card" data-testid={testId}>
          <p>{children(cases)}</p>
          <a class="button-link" href={href}>
            {linkText}
          </a>
        </div>
      )}
    </Section>
  );
}

/** The number of overdue cases, marked when there are any. */
export function OverdueCount({ cases }: { cases: CasesResponse }) {
  return <strong class={cases.overdue ? 'bad' : ''}>{int(cases.overdue)}</strong>;
}
