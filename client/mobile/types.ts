// The page data the server injects as <script id="page-data" type="application/json">.

export interface RateData {
  kind: 'rate';
  code: string;
  departmentName: string;
  location: string;
  staffName?: string | null;
  tags: { good: string[]; bad: string[] };
  commentMax?: number;
}

export interface MissingData {
  kind: 'missing';
  code: string;
  reason: 'unknown' | 'disabled' | 'case';
  departmentName?: string;
  location?: string;
}

export interface CaseEvent {
  at: string;
  label: string;
  note?: string | null;
}

/** The citizen's status view of a case (GET /s/{token}): public facts only, never personal data. */
export interface CaseData {
  kind: 'case';
  caseNo: string;
  status: string;
  statusLabel: string;
  dueDate: string;
  createdAt: string;
  events: CaseEvent[];
}

export type PageData = RateData | MissingData | CaseData;
