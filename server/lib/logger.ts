// What services log through: the part of pino they use, with pino's (fields, message) call, declared
// here so that no service imports fastify. Fastify's logger (app.log) and any pino instance fit it.

type LogFn = (fields: object, message?: string) => void;

export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** Logs nothing: for services built without a logger (tests, one-off scripts). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
