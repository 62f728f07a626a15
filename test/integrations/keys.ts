// What the integration and 办件 tests share: an integration made through the API, and a 办件 pushed
// with its key.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { bearerFor } from '../helpers/app.js';

export async function makeIntegration(app: FastifyInstance, admin: { id: number; role: string }, name = '一窗受理系统') {
  const res = await app.inject({ method: 'POST', url: '/api/integrations', headers: bearerFor(app, admin), payload: { name } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; apiKey: string; keyPrefix: string; name: string };
}

/** A valid 办件 body at `code`, accepted now-ish; `over` replaces or adds fields. */
export function matterBody(code: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code,
    taskCode: '11441900MB2C12345X4440111001',
    taskName: '城乡居民基本养老保险参保登记',
    staffName: '张三',
    applicantType: 'person',
    status: 'accepted',
    acceptedAt: '2026-11-23T09:00:00+08:00',
    ...over,
  };
}

export function putMatter(app: FastifyInstance, apiKey: string, projectNo: string, body: Record<string, unknown>) {
  return app.inject({
    method: 'PUT',
    url: `/api/matters/${encodeURIComponent(projectNo)}`,
    headers: { 'x-api-key': apiKey },
    payload: body,
  });
}

export function getMatter(app: FastifyInstance, headers: Record<string, string>, projectNo: string) {
  return app.inject({ method: 'GET', url: `/api/matters/${encodeURIComponent(projectNo)}`, headers });
}
