import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CreateUserBody, LoginBody, LoginResponse, UserView } from '../../../shared/api/auth.js';
import { errors } from '../../../shared/api/common.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { AuthService } from './auth.service.js';

export async function authRoutes(fastify: FastifyInstance, { auth }: { auth: AuthService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'auth');

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: '工作人员登录',
        body: LoginBody,
        response: { 200: LoginResponse, ...errors(400, 401, 429) },
      },
      config: {
        // Throttle guessing: per address and username, and per address overall.
        rateLimit: {
          max: 10,
          timeWindow: '15 minutes',
          keyGenerator: (req) =>
            `login:${req.ip}:${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
          errorResponseBuilder: () => ({ statusCode: 429, error: 'TooManyLoginAttempts', message: '登录尝试过于频繁，请 15 分钟后再试' }),
        },
      },
    },
    async (request, reply) => {
      const user = await auth.verifyCredentials(request.body.username, request.body.password);
      const token = await reply.jwtSign({ sub: String(user.id), role: user.role });
      return {
        token,
        user: { id: user.id, username: user.username, role: user.role, displayName: user.displayName, departmentIds: user.departmentIds },
      };
    },
  );

  app.get(
    '/api/auth/me',
    staff({ summary: '当前用户', response: { 200: UserView, ...errors(401) } }),
    async (request) => await auth.me(actorOf(request)),
  );

  app.get(
    '/api/users',
    staff({ summary: '用户列表（管理员）', response: { 200: Type.Object({ users: Type.Array(UserView) }), ...errors(401, 403) } }, [
      'admin',
    ]),
    async (request) => ({ users: await auth.listUsers(actorOf(request)) }),
  );

  app.post(
    '/api/users',
    staff({ summary: '新建用户（管理员）', body: CreateUserBody, response: { 201: UserView, ...errors(400, 401, 403, 404, 409) } }, [
      'admin',
    ]),
    async (request, reply) => reply.status(201).send(await auth.createUser(actorOf(request), request.body)),
  );
}
