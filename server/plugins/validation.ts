import Ajv, { type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { cleanStrings } from '../lib/clean-text.js';

// Bodies are validated strictly: a wrong type is a 400, never silently coerced ("5" is not a score).
// Query strings and path params arrive as text, so they are coerced to the declared types.
const common: Options = { allErrors: false, useDefaults: true, removeAdditional: true, strict: false };

export function registerValidation(app: FastifyInstance): void {
  const bodyAjv = new Ajv({ ...common, coerceTypes: false });
  const textAjv = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats.default(bodyAjv);
  addFormats.default(textAjv);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const check = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as FastifySchema & object);
    // Every string of a body, a query string and a path is cleaned before it is checked
    // (lib/clean-text.ts): what is stored is clean text, from every route, and the length limits count
    // the cleaned text; a NUL in a filter never reaches the database (PostgreSQL refuses it in text).
    const validate = (data: unknown) => {
      const value = cleanStrings(data);
      // An object is cleaned in place; a body that is one string is handed back cleaned.
      if (check(value)) return value === data ? true : { value };
      validate.errors = check.errors;
      return false;
    };
    validate.errors = null as ErrorObject[] | null | undefined;
    return validate;
  });
}
