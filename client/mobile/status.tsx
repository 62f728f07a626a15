// The citizen's pages that rate nothing (GET /s/{token} a case's progress, GET /s/ the lookup by case
// number, and every unusable code or link): their own small bundle, inlined by the server like the
// rating page's, so /r/ and /e/ carry none of this code.
import './style.css';
import './status.css';
import { render } from 'preact';
import { Lookup } from './lookup';
import { Report } from './report';
import { savedBig, setBig } from './storage';
import type { CaseData, LookupData, MissingData, ReportData } from './types';
import { CaseView, Missing, setIssuer } from './views';

setBig(savedBig(), false);

let page: CaseData | LookupData | MissingData | ReportData = { kind: 'lookup', authority: '', hotline: '' };
try {
  page = JSON.parse(document.getElementById('page-data')?.textContent || '');
} catch {
  /* no page data: the lookup form still works */
}
setIssuer(page.authority);
render(
  page.kind === 'case' ? (
    <CaseView page={page} />
  ) : page.kind === 'lookup' ? (
    <Lookup page={page} />
  ) : page.kind === 'report' ? (
    <Report page={page} />
  ) : (
    <Missing page={page} />
  ),
  document.getElementById('app') as HTMLElement,
);
