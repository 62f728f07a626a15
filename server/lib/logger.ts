// What services log through: the part of pino they use, with pino's (fields, message) call, declared
// here so that no service imports fastify. Fastify's logger (app.log) and any pino instance fit it.

import { type Logger as PinoLogger, pino } from 'pino';

type LogFn = (fields: object, message?: string) => void;

export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** Logs nothing: for services built without a logger (tests, one-off scripts). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

// A case's status link (/s/{token}, and the API behind it) is the citizen's only key to the case, and
// a 办件's one-time rating link (/e/{token}, /api/e/{token}/ratings) the applicant's key to rate it, and a
// 评价器's address (/k/{token}, /api/k/{token}/…) its tablet's credential: an access log must show that
// such a page was asked for, never which one. Case-insensitive and with repeated slashes, so that no
// spelling the router might still accept slips through.
const SECRET_IN_PATH = /^(\/+s\/+|\/+api\/+public\/+cases\/+|\/+e\/+|\/+api\/+e\/+|\/+k\/+|\/+api\/+k\/+)[^/?#]*/i;

/** The url as the access log shows it: a case-status, rating-link or kiosk token replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_IN_PATH, '$1[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer (the same fields), with the url redacted. */
function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * The process's one logger (pino, which fastify uses too): main.ts makes it and hands it to the app
 * and to the services, so request logs, job failures and webhook failures are all one JSON stream.
 */
export function createLogger(level: string, file?: string): PinoLogger {
  // Never log credentials, tokens or bodies (phone numbers live in bodies).
  const options = { level, redact: ['req.headers.authorization', 'req.headers.cookie'], serializers: { req: serializeRequest } };
  return file ? pino(options, pino.destination(file)) : pino(options);
}

/**
 * For a warning that a flood would write on every event: `write` runs at most once per `everyMs`, with
 * the number of events since its last line, so that a flood does not flood the log as well.
 */
export function throttledWarning(everyMs = 10_000): (write: (events: number) => void) => void {
  let events = 0;
  let lastLine = 0;
  return (write) => {
    events++;
    const now = Date.now();
    if (now - lastLine < everyMs) return;
    write(events);
    lastLine = now;
    events = 0;
  };
}
