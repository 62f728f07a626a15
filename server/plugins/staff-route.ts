// The options every staff route of the API repeats: the token check before the body is read (with the
// roles allowed, when not every staff role is), and the OpenAPI entry under the module's tag with the
// bearer scheme. Routes keep their paths, handlers and schemas; only this frame is shared.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { bearer } from '../../shared/api/common.js';
import type { Role } from '../../shared/domain.js';

export type StaffRouteSchema = Omit<FastifySchema, 'tags' | 'security'> & { summary: string };

/** `staff(schema, roles?)`: the options of a staff route of this OpenAPI tag. */
export function staffRoutes(app: FastifyInstance, tag: string) {
  // Generic in the schema so that the TypeBox type provider still sees each route's own schemas.
  return <S extends StaffRouteSchema>(schema: S, roles?: readonly Role[]) => ({
    onRequest: app.authorize(roles),
    schema: { tags: [tag], security: bearer, ...schema },
  });
}

/**
 * The start of every module's routes: the instance typed by the TypeBox provider (a route's request and
 * answer types come from its schemas) and the staff-route options of the module's OpenAPI tag.
 */
export function moduleRoutes(fastify: FastifyInstance, tag: string) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  return { app, staff: staffRoutes(app, tag) };
}
