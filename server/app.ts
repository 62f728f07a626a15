import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createLogger } from './lib/logger.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { casesRoutes } from './modules/cases/cases.routes.js';
import { complaintsRoutes } from './modules/cases/complaints.routes.js';
import { homeRoutes } from './modules/cases/home.routes.js';
import { codesRoutes } from './modules/codes/codes.routes.js';
import { guidesRoutes } from './modules/guides/guides.routes.js';
import { integrationsRoutes } from './modules/integrations/integrations.routes.js';
import { kiosksRoutes } from './modules/kiosks/kiosks.routes.js';
import { mattersRoutes } from './modules/matters/matters.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { loadCitizenPageTemplate } from './modules/ratings/citizen-page.js';
import { ratingsRoutes } from './modules/ratings/ratings.routes.js';
import { reportingRoutes } from './modules/reporting/reporting.routes.js';
import { settingsRoutes } from './modules/settings/settings.routes.js';
import { statsRoutes } from './modules/stats/stats.routes.js';
import { suggestionsRoutes } from './modules/suggestions/suggestions.routes.js';
import { registerAuth } from './plugins/auth.js';
import { registerConnectionCaps, serverTimeouts } from './plugins/connections.js';
import { registerErrorHandler } from './plugins/errors.js';
import { registerGracefulClose } from './plugins/graceful-close.js';
import { registerLoadShedding } from './plugins/load-shedding.js';
import { databaseRateLimitStore } from './plugins/rate-limit-store.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerValidation } from './plugins/validation.js';
import type { Services } from './services.js';

/** Public routes accept at most 16 KiB (docs/api.md); staff bodies are small too. */
export const BODY_LIMIT = 16 * 1024;

/** The Content-Encodings of request bodies the server decodes (docs/api.md); others get 415. */
const REQUEST_ENCODINGS = ['gzip', 'deflate', 'br', 'identity'] as const;

export interface BuildAppOptions {
  services: Services;
  /** The process's logger (main.ts: createLogger); tests pass false. Default: one at config.logLevel. */
  logger?: false | FastifyBaseLogger;
  /** How long app.close() lets unfinished requests run before cutting their connections (10 s). */
  closeGraceMs?: number;
}

/** The one Fastify factory, used by production and by every test (docs/architecture.md: no second app). */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const { config } = services;
  const app = Fastify({
    ...(opts.logger === false ? { logger: false } : { loggerInstance: opts.logger ?? createLogger(config.logLevel) }),
    trustProxy: config.trustProxy === false ? false : config.trustProxy,
    bodyLimit: BODY_LIMIT,
    // Header, body and idle timeouts: a connection that trickles its request is cut (config.net).
    ...serverTimeouts(config.net),
    // Long path segments reach the routes, whose own checks answer in the contract's error format.
    routerOptions: { maxParamLength: 2000 },
    // Errors raised before routing (bad URL encoding, …) get the same `{ error, message }` shape.
    frameworkErrors: (error, _request, reply) => {
      void (reply as import('fastify').FastifyReply)
        .code(error.statusCode ?? 400)
        .send({ error: error.code ?? 'BadRequest', message: '请求地址不正确' });
    },
    // Request ids in logs make a citizen's complaint traceable without logging personal data.
    requestIdHeader: false,
  });

  registerValidation(app);
  registerErrorHandler(app);
  registerGracefulClose(app, { graceMs: opts.closeGraceMs ?? 10_000 });
  // After the last request: the QR worker threads end with the server.
  app.addHook('onClose', () => services.pngRenderer.close());
  // The integrations' counted calls are written before the database closes.
  app.addHook('onClose', () => services.integrations.close());
  app.addHook('onClose', () => services.reportDelivery?.close());
  registerConnectionCaps(app, {
    maxConnections: config.net.maxConnections,
    maxConnectionsPerAddress: config.net.maxConnectionsPerAddress,
    trusted: config.trustProxy,
  });
  await registerLoadShedding(app, config.shed);

  await registerSecurityHeaders(app);
  // The citizen page is one 27 KB response that gzips to ~11 KB: on one bar of signal that is the
  // difference that matters. (Behind nginx this may be done there too; it is harmless twice-declared.)
  // Request bodies: these encodings are decoded (the body limit counts the decoded bytes), any
  // other Content-Encoding is answered 415 (plugins/errors.ts), on every route alike.
  // Content codings are case-insensitive (RFC 9110, 8.4.1); the plugin compares them as written.
  app.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding) request.headers['content-encoding'] = encoding.toLowerCase();
  });
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    requestEncodings: [...REQUEST_ENCODINGS],
  });
  // Several instances on one PostgreSQL database count each limit together (rate-limit-store.ts).
  await app.register(rateLimit, {
    global: false,
    ...(services.db.driver === 'pg' ? { store: databaseRateLimitStore(services.db) } : {}),
  });

  await app.register(swagger, {
    openapi: {
      info: { title: '码上评议 API', version: '1.0.0', description: '政务服务“好差评”扫码评议' },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: '业务系统的集成密钥（系统对接）' },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) => `${header}; frame-ancestors 'none'`,
  });

  await registerAuth(app, {
    secret: config.jwtSecret,
    expiresIn: config.tokenTtl,
    auth: services.auth,
    integrations: services.integrations,
  });

  await app.register(authRoutes, { auth: services.auth, maxLoginRequestsPerMinute: config.login.maxRequestsPerMinute });
  await app.register(orgRoutes, { org: services.org });
  await app.register(codesRoutes, { codes: services.codes });
  await app.register(settingsRoutes, { settings: services.settings });
  await app.register(statsRoutes, { stats: services.stats });
  await app.register(casesRoutes, { cases: services.cases });
  await app.register(homeRoutes, { home: services.home });
  await app.register(notificationsRoutes, { notifications: services.notifications });
  await app.register(integrationsRoutes, { integrations: services.integrations });
  await app.register(mattersRoutes, { matters: services.matters, maxRequestsPerMinute: config.integrationMaxRequestsPerMinute });
  await app.register(ratingsRoutes, {
    ratings: services.ratings,
    heldRatings: services.heldRatings,
    settings: services.settings,
    codes: services.codes,
    caseStatus: services.cases,
    pages: loadCitizenPageTemplate(config.clientDir),
  });
  await app.register(reportingRoutes, { reporting: services.reporting });
  await app.register(kiosksRoutes, { kiosks: services.kiosks, clientDir: config.clientDir });
  await app.register(guidesRoutes, {
    guides: services.guides,
    settings: services.settings,
    pages: loadCitizenPageTemplate(config.clientDir),
  });
  await app.register(complaintsRoutes, { cases: services.cases, maxRequestsPerMinute: config.integrationMaxRequestsPerMinute });
  await app.register(suggestionsRoutes, {
    suggestions: services.suggestions,
    settings: services.settings,
    pages: loadCitizenPageTemplate(config.clientDir),
  });

  await registerClient(app, config.clientDir);
  return app;
}

/** Serves the built client: hashed assets, the staff app at /admin, the public page at /public. */
async function registerClient(app: FastifyInstance, clientDir: string): Promise<void> {
  const built = existsSync(clientDir);
  if (built) {
    await app.register(fastifyStatic, {
      root: clientDir,
      prefix: '/assets/',
      index: false,
      wildcard: true,
      // Vite names assets by content hash: they never change, so they are cached for a year.
      immutable: true,
      maxAge: 365 * 24 * 3600 * 1000,
    });
  }
  const sendPage = (page: string) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const file = join(clientDir, page, 'index.html');
    if (!built || !existsSync(file)) {
      return reply.status(503).type('text/plain; charset=utf-8').send('前端尚未构建：请运行 npm run build');
    }
    // The page names the hashed assets of this build: it must be revalidated, never kept a year
    // like the assets (the static plugin's own cache header is turned off for it).
    return reply.header('cache-control', 'no-cache').sendFile(join(page, 'index.html'), clientDir, { cacheControl: false });
  };
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/admin/'));
  app.get('/admin', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/admin/'));
  app.get('/admin/', { schema: { hide: true } }, sendPage('admin'));
  app.get('/admin/*', { schema: { hide: true } }, sendPage('admin'));
  app.get('/public', { schema: { hide: true } }, sendPage('public'));
}
