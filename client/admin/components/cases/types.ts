// Shapes of the cases API as the staff pages use them (server/modules/cases/cases.schemas.ts).
import type { CaseKind, CaseStatus } from '../../../shared/domain.js';

export interface CaseItem {
  id: number;
  caseNo: string;
  kind: CaseKind;
  kindLabel: string;
  status: CaseStatus;
  statusLabel: string;
  departmentId: number;
  departmentName: string;
  codeId: string;
  location: string;
  score: number;
  scoreLabel: string;
  classification: string | null;
  dueDate: string;
  contactDueDate: string;
  overdue: boolean;
  contactOverdue: boolean;
  escalated: boolean;
  ratingId: number;
  createdAt: number;
  officerId: number | null;
  officerName: string | null;
  anonymous: boolean;
  phoneMasked: string | null;
}

export interface FieldSpec {
  name: 'note' | 'classification' | 'satisfaction' | 'genuine';
  type: 'choice' | 'boolean' | 'text';
  required: boolean;
  label: string;
  options?: { value: string; label: string }[];
}

export interface AllowedMove {
  to: CaseStatus;
  event: string;
  action: string;
  fields: FieldSpec[];
}

export interface CaseEvent {
  id: number;
  type: string;
  label: string;
  from: string | null;
  to: string | null;
  at: number;
  by: number | null;
  byName: string | null;
  note: string | null;
  public: boolean;
  data: {
    classificationLabel?: string;
    satisfactionLabel?: string;
    genuine?: boolean;
    contact?: string;
    officerName?: string;
    reason?: string;
  };
}

export interface CaseDetail extends CaseItem {
  satisfaction: string | null;
  genuine: boolean | null;
  reopenCount: number;
  canViewPhone: boolean;
  canAssign: boolean;
  rating: {
    id: number;
    score: number;
    scoreLabel: string;
    tags: string[];
    comment: string | null;
    createdAt: number;
    location: string;
    realName: boolean;
    phoneMasked: string | null;
    phoneErased: boolean;
    excluded: boolean;
    flagged: boolean;
  };
  events: CaseEvent[];
  allowedMoves: AllowedMove[];
}

export interface CaseList {
  cases: CaseItem[];
  total: number;
}

/** Date and time in China, whatever the browser's zone. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
