// The citizen's pages that rate nothing (GET /s/{token} a case's progress, GET /s/ the lookup by case
// number, and every unusable code or link): their own small bundle, inlined by the server like the
// rating page's, so /r/ and /e/ carry none of this code.
import './style.css';
import './status.css';
import { render } from 'preact';
import { GuideList, GuideView } from './guide';
import { Lookup } from './lookup';
import { Report } from './report';
import { savedBig, setBig } from './storage';
import { Suggest } from './suggest';
import type { CaseData, GuideData, GuideListData, LookupData, MissingData, ReportData, SuggestData } from './types';
import { CaseView, Missing, setIssuer } from './views';

setBig(savedBig(), false);

let page: CaseData | LookupData | MissingData | GuideData | GuideListData | ReportData | SuggestData = {
  kind: 'lookup',
  authority: '',
  hotline: '',
};
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
  ) : page.kind === 'guide' ? (
    <GuideView page={page} />
  ) : page.kind === 'guides' ? (
    <GuideList page={page} />
  ) : page.kind === 'report' ? (
    <Report page={page} />
  ) : page.kind === 'suggest' ? (
    <Suggest page={page} />
  ) : (
    <Missing page={page} />
  ),
  document.getElementById('app') as HTMLElement,
);
// A guide read once opens again without signal: the rating page's service worker keeps /g/ pages too.
if ('serviceWorker' in navigator && location.pathname.slice(0, 3) === '/g/')
  addEventListener('load', () => navigator.serviceWorker.register('/g/sw.js').catch(() => {}));
