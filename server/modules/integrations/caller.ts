// Who calls a route that accepts an integration key or a staff token: the one guard
// (`app.authorizeCaller`, server/plugins/auth.ts) resolves either into a Caller with its data scope.
import type { Actor } from '../auth/actor.js';

export interface IntegrationIdentity {
  readonly id: number;
  readonly name: string;
  /** The creating administrator's org unit: the integration acts within it (docs/domain.md, 办件). */
  readonly orgUnitId: number | null;
}

export type Caller =
  | { readonly kind: 'staff'; readonly actor: Actor; readonly departmentIds: ReadonlySet<number> }
  | { readonly kind: 'integration'; readonly integration: IntegrationIdentity; readonly departmentIds: ReadonlySet<number> };

export function staffCaller(actor: Actor): Caller {
  return { kind: 'staff', actor, departmentIds: actor.departmentIds };
}

/** The user an audit row names: the staff member, or none for an integration (named in the detail). */
export function auditUserOf(caller: Caller): number | null {
  return caller.kind === 'staff' ? caller.actor.id : null;
}
