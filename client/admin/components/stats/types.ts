// Shapes of the /api/stats answers the pages read (the server's schemas are the source of truth).
export type ScoreKey = '1' | '2' | '3' | '4' | '5';

export interface RatingIndicators {
  total: number;
  byScore: Record<ScoreKey, number>;
  shares: Record<ScoreKey, number | null>;
  goodCount: number;
  badCount: number;
  realNameCount: number;
  goodRate: number | null;
  badRate: number | null;
  score: number | null;
}

export interface CaseIndicators {
  cases: number;
  openCases: number;
  realNameBad: number;
  realNameBadVisited: number;
  visitRate: number | null;
  validBad: number;
  validRectified: number;
  rectifyRate: number | null;
  answered: number;
  answeredSatisfied: number;
  satisfactionRate: number | null;
  closed: number;
  closedOnTime: number;
  onTimeRate: number | null;
}

export type Indicators = RatingIndicators & CaseIndicators;

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
