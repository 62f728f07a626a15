import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role } from '../../shared/domain.js';
import { Forbidden, Unauthorized } from '../errors.js';
import type { Actor } from '../modules/auth/actor.js';
import type { AuthService } from '../modules/auth/auth.service.js';

export interface TokenPayload {
  sub: string;
  role: Role;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload;
    user: TokenPayload;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /**
     * onRequest hook: a valid token of an active user with one of `roles` (any role when omitted).
     * It runs before the body is parsed or validated, so a caller without a token always gets 401.
     */
    authorize(roles?: readonly Role[]): onRequestAsyncHookHandler;
  }
}

export async function registerAuth(app: FastifyInstance, opts: { secret: string; expiresIn: string; auth: AuthService }): Promise<void> {
  await app.register(fastifyJwt, {
    secret: opts.secret,
    sign: { expiresIn: opts.expiresIn, algorithm: 'HS256' },
    // Only our algorithm: `alg: none` and tokens of other algorithms are refused.
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('actor', null);

  app.decorate('authorize', function authorize(roles?: readonly Role[]): onRequestAsyncHookHandler {
    return async (request: FastifyRequest) => {
      let payload: TokenPayload;
      try {
        payload = await request.jwtVerify<TokenPayload>();
      } catch {
        throw new Unauthorized();
      }
      const id = Number(payload.sub);
      const actor = Number.isInteger(id) ? await opts.auth.resolveActor(id) : null;
      if (!actor) throw new Unauthorized();
      if (roles && !roles.includes(actor.role)) throw new Forbidden();
      request.actor = actor;
    };
  });
}

/** The actor set by `authorize`; routes behind it can rely on it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthorized();
  return request.actor;
}
