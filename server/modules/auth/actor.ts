import type { Role } from '../../../shared/domain.js';

/** The authenticated staff member a service acts for, with their data scope resolved. */
export interface Actor {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** Org unit of an admin or supervisor (their scope root); null for department heads. */
  readonly orgUnitId: number | null;
  /** Every department the actor may see. Authorization is data scoping (docs/architecture.md §9). */
  readonly departmentIds: ReadonlySet<number>;
  /**
   * True when `departmentIds` is every department there is (an administrator or supervisor of the top
   * of the whole tree, read in the same statement as the ids): a list may then leave out its
   * department condition, which for a province's 400 ids cost more to plan than to run. Never set for
   * a department head (OrgService.departmentScope), whose lists always name the head's departments.
   */
  readonly everyDepartment?: boolean;
}
