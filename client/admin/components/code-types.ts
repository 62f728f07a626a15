import type { Static } from 'typebox';
import type { StaffCodeViewT } from '../../../shared/api/codes.js';
import type { DepartmentView } from '../../../shared/api/org.js';

/** A code as GET /api/codes lists it. */
export type CodeItem = StaffCodeViewT;

/** A department as GET /api/departments lists it. */
export type DepartmentItem = Static<typeof DepartmentView>;
