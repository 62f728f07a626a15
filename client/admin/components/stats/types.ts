// Shapes of the /api/stats answers the pages read: the API's own schemas (shared/api/stats.ts), as
// types only, so the build erases them.
export type {
  CasesResponse,
  CodeSort,
  CodesResponse,
  DepartmentsResponse,
  Indicators,
  MatterFigures,
  MatterSort,
  RatingIndicators,
  RatingView,
  StaffFiguresResponse,
  SummaryResponse,
  TagsResponse,
  TaskFiguresResponse,
  TrendResponse,
} from '../../../../shared/api/stats.js';
