import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { bearer, errors } from '../../../shared/api/common.js';
import {
  HolidaysResponse,
  HolidayTableSchema,
  HolidayTableView,
  SettingsPatchSchema,
  SettingsQuery,
  SettingsSchema,
  SettingsSources,
} from '../../../shared/api/settings.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { SettingsService } from './settings.service.js';

export async function settingsRoutes(fastify: FastifyInstance, { settings }: { settings: SettingsService }): Promise<void> {
  const { app } = moduleRoutes(fastify, 'settings');

  /** Every signed-in staff member reads the settings of the units in scope (the pages and deadlines follow them). */
  const reading = <R extends TSchema>(summary: string, response: R) => ({
    onRequest: app.authorize(),
    schema: { tags: ['settings'], summary, security: bearer, querystring: SettingsQuery, response: { 200: response, ...errors(401, 404) } },
  });
  /** Only an administrator changes them (of the units in scope), with a body that can be refused. */
  const changing = <B extends TSchema, R extends TSchema>(summary: string, body: B, response: R) => ({
    onRequest: app.authorize(['admin']),
    schema: {
      tags: ['settings'],
      summary,
      security: bearer,
      querystring: SettingsQuery,
      body,
      response: { 200: response, ...errors(400, 401, 403, 404) },
    },
  });

  app.get(
    '/api/settings',
    reading('某组织单位生效的设置（默认本人管理范围的根单位）', SettingsSchema),
    async (request) => await settings.view(actorOf(request), request.query.orgUnitId),
  );

  app.get(
    '/api/settings/sources',
    reading('某组织单位的设置及每项的来源（本单位设置 / 继承 / 平台默认）', SettingsSources),
    async (request) => await settings.sources(actorOf(request), request.query.orgUnitId),
  );

  app.patch(
    '/api/settings',
    changing('修改某组织单位的设置（管理员；某项为 null 即清除本单位的值、恢复继承）', SettingsPatchSchema, SettingsSchema),
    async (request) => await settings.update(actorOf(request), request.body, request.query.orgUnitId),
  );

  app.get(
    '/api/settings/holidays',
    {
      onRequest: app.authorize(),
      schema: {
        tags: ['settings'],
        summary: '已载入的官方节假日表与提醒',
        security: bearer,
        response: { 200: HolidaysResponse, ...errors(401) },
      },
    },
    async () => await settings.holidays(),
  );

  app.put(
    '/api/settings/holidays',
    changing('载入某年的官方节假日表（国务院办公厅通知；仅最高级管理员）', HolidayTableSchema, HolidayTableView),
    async (request) => await settings.loadHolidayTable(actorOf(request), request.body),
  );
}
