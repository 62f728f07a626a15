import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

// Bodies are validated strictly: a wrong type is a 400, never silently coerced ("5" is not a score).
// Query strings and path params arrive as text, so they are coerced to the declared types.
const common: Options = { allErrors: false, useDefaults: true, removeAdditional: true, strict: false };

export function registerValidation(app: FastifyInstance): void {
  const bodyAjv = new Ajv({ ...common, coerceTypes: false });
  const textAjv = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats.default(bodyAjv);
  addFormats.default(textAjv);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : textAjv;
    return ajv.compile(schema as FastifySchema & object);
  });
}
