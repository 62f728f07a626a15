import { randomUUID } from 'node:crypto';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role } from '../../shared/domain.js';
import { Forbidden, Unauthorized } from '../errors.js';
import type { Actor } from '../modules/auth/actor.js';
import type { AuthService } from '../modules/auth/auth.service.js';

export interface TokenPayload {
  sub: string;
  role: Role;
  /** The user's token version when signed: a revocation (password change…) raises it. */
  ver: number;
  /** The token's own id, for a logout that ends this token only. */
  jti: string;
  /** Seconds since the epoch (set by the signer). */
  iat?: number;
  exp?: number;
}

/** The claims of a new token for a user at their current token version. */
export function sessionClaims(user: { id: number; role: Role; tokenVersion: number }): TokenPayload {
  return { sub: String(user.id), role: user.role, ver: user.tokenVersion, jti: randomUUID() };
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
    // Only our algorithm: `alg: none` and tokens of other algorithms are refused. A token without an
    // expiry, an id or a version (any we did not sign as sessionClaims) is refused too.
    verify: { algorithms: ['HS256'], requiredClaims: ['sub', 'exp', 'jti', 'ver'] },
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
      const valid = Number.isInteger(id) && Number.isInteger(payload.ver) && typeof payload.jti === 'string';
      const actor = valid ? await opts.auth.resolveSession(id, payload.ver, payload.jti) : null;
      if (!actor) throw new Unauthorized();
      if (roles && !roles.includes(actor.role)) throw new Forbidden();
      request.actor = actor;
    };
  });
}

/** The token `authorize` accepted (its id and expiry, for a logout). */
export function tokenOf(request: FastifyRequest): { jti: string; expiresAt: number } {
  const { jti, exp } = request.user;
  if (typeof exp !== 'number') throw new Unauthorized();
  return { jti, expiresAt: exp * 1000 };
}

/** The actor set by `authorize`; routes behind it can rely on it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthorized();
  return request.actor;
}
