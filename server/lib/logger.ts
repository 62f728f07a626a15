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

/**
 * The process's one logger (pino, which fastify uses too): main.ts makes it and hands it to the app
 * and to the services, so request logs, job failures and webhook failures are all one JSON stream.
 */
export function createLogger(level: string, file?: string): PinoLogger {
  // Never log credentials, tokens or bodies (phone numbers live in bodies).
  const options = { level, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  return file ? pino(options, pino.destination(file)) : pino(options);
}
