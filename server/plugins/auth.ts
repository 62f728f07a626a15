import { randomUUID } from 'node:crypto';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { type Role, STAFF_ROLES } from '../../shared/domain.js';
import { Forbidden, Unauthorized } from '../errors.js';
import type { Actor } from '../modules/auth/actor.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import { type Caller, staffCaller } from '../modules/integrations/caller.js';
import type { IntegrationsService } from '../modules/integrations/integrations.service.js';

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
    /** Set by `authorizeCaller`: the integration or staff member calling, with their scope. */
    caller: Caller | null;
  }
  interface FastifyInstance {
    /**
     * onRequest hook: a valid token of an active user with one of `roles` (when omitted, any of the
     * STAFF_ROLES: an observer is admitted only by the routes that name their role).
     * It runs before the body is parsed or validated, so a caller without a token always gets 401.
     */
    authorize(roles?: readonly Role[]): onRequestAsyncHookHandler;
    /**
     * onRequest hook of the routes business systems call (docs/api.md §11): a request with `X-Api-Key`
     * must carry the key of a live integration (else 401, whatever else it carries); one without it
     * is checked as `authorize(roles)`. Either way `request.caller` holds who calls, with their scope.
     */
    authorizeCaller(roles: readonly Role[]): onRequestAsyncHookHandler;
  }
}

/** The header an integration's calls carry their key in. */
const API_KEY_HEADER = 'x-api-key';

/** The `message` of a JSON error answer, as the integration's last error. */
function messageOf(payload: unknown): string | null {
  if (typeof payload !== 'string') return null;
  try {
    const message = (JSON.parse(payload) as { message?: unknown }).message;
    return typeof message === 'string' ? message : null;
  } catch {
    return null;
  }
}

export async function registerAuth(
  app: FastifyInstance,
  opts: { secret: string; expiresIn: string; auth: AuthService; integrations: Pick<IntegrationsService, 'resolveKey' | 'recordCall'> },
): Promise<void> {
  await app.register(fastifyJwt, {
    secret: opts.secret,
    sign: { expiresIn: opts.expiresIn, algorithm: 'HS256' },
    // Only our algorithm: `alg: none` and tokens of other algorithms are refused. A token without an
    // expiry, an id or a version (any we did not sign as sessionClaims) is refused too.
    verify: { algorithms: ['HS256'], requiredClaims: ['sub', 'exp', 'jti', 'ver'] },
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('caller', null);

  function authorize(roles: readonly Role[] = STAFF_ROLES): onRequestAsyncHookHandler {
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
      if (!roles.includes(actor.role)) throw new Forbidden();
      request.actor = actor;
    };
  }
  app.decorate('authorize', authorize);

  app.decorate('authorizeCaller', function authorizeCaller(roles: readonly Role[]): onRequestAsyncHookHandler {
    const staff = authorize(roles);
    return async function (this: FastifyInstance, request: FastifyRequest, reply) {
      const key = request.headers[API_KEY_HEADER];
      if (key === undefined) {
        await staff.call(this, request, reply);
        request.caller = staffCaller(actorOf(request));
        return;
      }
      const caller = typeof key === 'string' ? await opts.integrations.resolveKey(key) : null;
      if (!caller) throw new Unauthorized('集成密钥无效或已撤销（X-Api-Key）', 'InvalidApiKey');
      request.caller = caller;
    };
  });

  // Every answer to an integration is counted on it, a 4xx as an error with its message (in memory:
  // the counters are written in batches, off the request's path).
  app.addHook('onSend', async (request, reply, payload) => {
    const caller = request.caller;
    if (caller?.kind === 'integration') {
      opts.integrations.recordCall(caller.integration.id, reply.statusCode, reply.statusCode >= 400 ? messageOf(payload) : null);
    }
    return payload;
  });
}

/** The caller set by `authorizeCaller`; routes behind it can rely on it. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Unauthorized();
  return request.caller;
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
