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
}
