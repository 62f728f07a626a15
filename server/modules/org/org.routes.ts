import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errors, IdParam } from '../../../shared/api/common.js';
import { CreateDepartmentBody, DepartmentView, OrgUnitView, UpdateDepartmentBody, UpdateOrgUnitBody } from '../../../shared/api/org.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { OrgService } from './org.service.js';

export async function orgRoutes(fastify: FastifyInstance, { org }: { org: OrgService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'org');

  app.get(
    '/api/departments',
    staff({
      summary: '部门列表（本人范围内）',
      response: { 200: Type.Object({ departments: Type.Array(DepartmentView) }), ...errors(401) },
    }),
    async (request) => ({ departments: await org.listDepartments(actorOf(request)) }),
  );

  app.post(
    '/api/departments',
    staff(
      { summary: '新建部门（管理员）', body: CreateDepartmentBody, response: { 201: DepartmentView, ...errors(400, 401, 403, 404, 409) } },
      ['admin'],
    ),
    async (request, reply) => reply.status(201).send(await org.createDepartment(actorOf(request), request.body)),
  );

  app.patch(
    '/api/departments/:id',
    staff(
      {
        summary: '修改部门的统一社会信用代码（管理员）',
        params: IdParam,
        body: UpdateDepartmentBody,
        response: { 200: DepartmentView, ...errors(400, 401, 403, 404, 409) },
      },
      ['admin'],
    ),
    async (request) => org.updateDepartment(actorOf(request), request.params.id, request.body),
  );

  app.patch(
    '/api/org-units/:id',
    staff(
      {
        summary: '修改组织单位的行政区划代码（管理员，本单位及下级）',
        params: IdParam,
        body: UpdateOrgUnitBody,
        response: { 200: OrgUnitView, ...errors(400, 401, 403, 404) },
      },
      ['admin'],
    ),
    async (request) => org.updateOrgUnit(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/org-units',
    staff({ summary: '组织单位（市 → 县/区）', response: { 200: Type.Object({ orgUnits: Type.Array(OrgUnitView) }), ...errors(401) } }),
    async (request) => ({ orgUnits: await org.listOrgUnits(actorOf(request)) }),
  );
}
