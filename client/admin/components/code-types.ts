import type { FunnelAlert } from '../../../shared/domain.js';

/** A code as GET /api/codes lists it. */
export interface CodeItem {
  code: string;
  departmentId: number;
  departmentName: string;
  location: string;
  staffName: string | null;
  active: boolean;
  createdAt: number;
  disabledAt: number | null;
  url: string;
  funnel: {
    opens30d: number;
    submissions30d: number;
    opensTotal: number;
    submissionsTotal: number;
    lastOpenDay: string | null;
    lastSubmissionDay: string | null;
    alert: FunnelAlert | null;
  };
}

export interface DepartmentItem {
  id: number;
  name: string;
  orgUnitId: number;
  orgUnitName: string;
  active: boolean;
}
