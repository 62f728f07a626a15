// Shapes of the /api/stats answers the pages read (the server's schemas are the source of truth).
// Types only: erased by the build, so no server code reaches the browser.
import type { CaseIndicators, Indicators } from '../../../../server/modules/stats/indicators.js';
export type { CaseIndicators, Indicators, RatingIndicators, ScoreKey } from '../../../../server/modules/stats/indicators.js';

export interface DepartmentStats extends Indicators {
  id: number;
  name: string;
  orgUnitId: number;
  orgUnitName: string;
  rank: number | null;
  insufficient: boolean;
  goodRateLower: number | null;
}

export interface DepartmentsResponse {
  from: string;
  to: string;
  minSample: number;
  rankedAmong: number;
  departments: DepartmentStats[];
}

export interface SummaryResponse extends Indicators {
  from: string;
  to: string;
  departments: number;
  orgUnits: (Indicators & { id: number; name: string; kind: string; departments: number })[];
}

export interface TrendResponse {
  granularity: 'day' | 'week' | 'month';
  points: (Indicators & { from: string; to: string })[];
}

export interface CasesResponse extends CaseIndicators {
  unclosed: number;
  overdue: number;
}
