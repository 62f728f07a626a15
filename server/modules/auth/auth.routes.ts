import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  ChangePasswordBody,
  CreateUserBody,
  LoginBody,
  LoginResponse,
  ResetPasswordBody,
  TokenResponse,
  UpdateUserBody,
  UserView,
} from '../../../shared/api/auth.js';
import { errors, IdParam } from '../../../shared/api/common.js';
import { ROLES } from '../../../shared/domain.js';
import { actorOf, sessionClaims, tokenOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { AuthService } from './auth.service.js';

export async function authRoutes(
  fastify: FastifyInstance,
  { auth, maxLoginRequestsPerMinute }: { auth: AuthService; maxLoginRequestsPerMinute: number },
): Promise<void> {
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
        // A flood guard only, far above what a hall's staff behind one address need: the throttle of
        // guessing counts failed logins per account and per address (auth.login, docs/api.md 1.4).
        rateLimit: {
          max: maxLoginRequestsPerMinute,
          timeWindow: '1 minute',
          keyGenerator: (req) => `login:${req.ip}`,
          errorResponseBuilder: () => ({ statusCode: 429, error: 'TooManyLoginAttempts', message: '登录请求过于频繁，请稍后再试' }),
        },
      },
    },
    async (request, reply) => {
      const { user, tokenVersion } = await auth.login(request.body.username, request.body.password, request.ip);
      const token = await reply.jwtSign(sessionClaims({ id: user.id, role: user.role, tokenVersion }));
      return {
        token,
        user: { id: user.id, username: user.username, role: user.role, displayName: user.displayName, departmentIds: user.departmentIds },
      };
    },
  );

  app.get(
    '/api/auth/me',
    staff({ summary: '当前用户', response: { 200: UserView, ...errors(401) } }, ROLES),
    async (request) => await auth.me(actorOf(request)),
  );

  app.post(
    '/api/auth/logout',
    staff({ summary: '退出登录（本令牌失效）', response: { 204: Type.Null(), ...errors(401) } }, ROLES),
    async (request, reply) => {
      await auth.logout(actorOf(request), tokenOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/logout-all',
    staff({ summary: '退出所有设备（本人全部令牌失效）', response: { 204: Type.Null(), ...errors(401) } }, ROLES),
    async (request, reply) => {
      await auth.logoutEverywhere(actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/password',
    staff(
      {
        summary: '修改本人密码（其余令牌全部失效）',
        body: ChangePasswordBody,
        response: { 200: TokenResponse, ...errors(400, 401, 429) },
      },
      ROLES,
    ),
    async (request, reply) => {
      const actor = actorOf(request);
      const tokenVersion = await auth.changePassword(actor, request.body, request.ip);
      return { token: await reply.jwtSign(sessionClaims({ id: actor.id, role: actor.role, tokenVersion })) };
    },
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

  app.patch(
    '/api/users/:id',
    staff(
      {
        summary: '停用或启用用户（管理员；停用时其令牌全部失效）',
        params: IdParam,
        body: UpdateUserBody,
        response: { 200: UserView, ...errors(400, 401, 403, 404) },
      },
      ['admin'],
    ),
    async (request) => await auth.setActive(actorOf(request), request.params.id, request.body.active),
  );

  app.post(
    '/api/users/:id/password',
    staff(
      {
        summary: '重置用户密码（管理员；其令牌全部失效）',
        params: IdParam,
        body: ResetPasswordBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
      ['admin'],
    ),
    async (request, reply) => {
      await auth.resetPassword(actorOf(request), request.params.id, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );
}
