import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { actorOf } from '../../plugins/auth.js';
import { bearer, errors } from '../../../shared/api/common.js';
import type { Clock } from '../../lib/clock.js';
import { chinaDay } from '../../../shared/china-time.js';
import type { SettingsService } from './settings.service.js';
import { HolidayTableSchema, SettingsPatchSchema, SettingsSchema } from '../../../shared/api/settings.js';

const HolidayTableView = Type.Object({
  year: Type.Integer(),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
  source: Type.Optional(Type.String()),
  loadedAt: Type.Optional(Type.Integer()),
});

export async function settingsRoutes(app: FastifyInstance, opts: { settings: SettingsService; clock: Clock }): Promise<void> {
  const { settings, clock } = opts;

  app.get(
    '/api/settings',
    {
      onRequest: app.authorize(),
      schema: { tags: ['settings'], summary: '系统设置', security: bearer, response: { 200: SettingsSchema, ...errors(401) } },
    },
    async () => settings.get(),
  );

  app.patch<{ Body: Static<typeof SettingsPatchSchema> }>(
    '/api/settings',
    {
      onRequest: app.authorize(['admin']),
      schema: {
        tags: ['settings'],
        summary: '修改设置（管理员）',
        security: bearer,
        body: SettingsPatchSchema,
        response: { 200: SettingsSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => settings.update(actorOf(request), request.body),
  );

  app.get(
    '/api/settings/holidays',
    {
      onRequest: app.authorize(),
      schema: {
        tags: ['settings'],
        summary: '已载入的官方节假日表与提醒',
        security: bearer,
        response: {
          200: Type.Object({ tables: Type.Array(HolidayTableView), warnings: Type.Array(Type.String()) }),
          ...errors(401),
        },
      },
    },
    async () => ({ tables: settings.listHolidayTables(), warnings: settings.calendarWarnings(chinaDay(clock.now())) }),
  );

  app.put<{ Body: Static<typeof HolidayTableSchema> }>(
    '/api/settings/holidays',
    {
      onRequest: app.authorize(['admin']),
      schema: {
        tags: ['settings'],
        summary: '载入某年的官方节假日表（国务院办公厅通知）',
        security: bearer,
        body: HolidayTableSchema,
        response: { 200: HolidayTableView, ...errors(400, 401, 403) },
      },
    },
    async (request) => settings.loadHolidayTable(actorOf(request), request.body),
  );
}
