import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { bearer, errors } from '../../../shared/api/common.js';
import {
  HolidaysResponse,
  HolidayTableSchema,
  HolidayTableView,
  SettingsPatchSchema,
  SettingsSchema,
} from '../../../shared/api/settings.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { SettingsService } from './settings.service.js';

export async function settingsRoutes(fastify: FastifyInstance, { settings }: { settings: SettingsService }): Promise<void> {
  const { app } = moduleRoutes(fastify, 'settings');

  /** Every signed-in staff member reads the settings (the pages and deadlines follow them). */
  const reading = <R extends TSchema>(summary: string, response: R) => ({
    onRequest: app.authorize(),
    schema: { tags: ['settings'], summary, security: bearer, response: { 200: response, ...errors(401) } },
  });
  /** Only an administrator changes them, with a body that can be refused. */
  const changing = <B extends TSchema, R extends TSchema>(summary: string, body: B, response: R) => ({
    onRequest: app.authorize(['admin']),
    schema: { tags: ['settings'], summary, security: bearer, body, response: { 200: response, ...errors(400, 401, 403) } },
  });

  app.get('/api/settings', reading('系统设置', SettingsSchema), async () => settings.get());

  app.patch(
    '/api/settings',
    changing('修改设置（管理员）', SettingsPatchSchema, SettingsSchema),
    async (request) => await settings.update(actorOf(request), request.body),
  );

  app.get('/api/settings/holidays', reading('已载入的官方节假日表与提醒', HolidaysResponse), async () => await settings.holidays());

  app.put(
    '/api/settings/holidays',
    changing('载入某年的官方节假日表（国务院办公厅通知）', HolidayTableSchema, HolidayTableView),
    async (request) => await settings.loadHolidayTable(actorOf(request), request.body),
  );
}
