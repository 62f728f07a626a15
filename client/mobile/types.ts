// The page data the server injects as <script id="page-data" type="application/json">, declared once in
// shared/api (type-only imports: nothing is added to the citizen bundle).
export type {
  CaseData,
  GuideData,
  GuideListData,
  LookupData,
  MatterData,
  MissingData,
  PageData,
  RateData,
  ReportData,
  SuggestData,
} from '../../shared/api/citizen-page.js';
