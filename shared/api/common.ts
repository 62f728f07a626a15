import { type Static, type TLiteral, type TSchema, type TSchemaOptions, type TUnion, type TUnsafe, Type } from 'typebox';

/**
 * `t` or null, written the OpenAPI 3.0 way (`nullable: true`) when `t` has a type. `Type.Union([t,
 * Type.Null()])` is an anyOf, which the response serializer settles by running a validator on every
 * value: a county's 308 codes carry thousands of them (about 0.5 ms of a 4 ms answer).
 */
export function Nullable<T extends TSchema>(t: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>('type' in t ? { ...t, nullable: true } : Type.Union([t, Type.Null()]));
}

/**
 * One of a list of strings (the domain's vocabularies), as a union of literals. Typed as the tuple of
 * literals it is: mapped from an array, TypeBox's Static of the union would be `never`.
 */
export function LiteralUnion<const Values extends readonly string[]>(values: Values, options?: TSchemaOptions) {
  type Literals = { -readonly [K in keyof Values]: TLiteral<Values[K]> };
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<Literals extends TSchema[] ? Literals : never>;
}

/** Every 4xx/5xx of /api/* (docs/api.md). */
export const ErrorResponse = Type.Object(
  { error: Type.String(), message: Type.String() },
  { $id: 'ErrorResponse', description: '错误：机器可读的名称与中文说明' },
);

/** Response schema entries for the error statuses a route can answer. */
export function errors(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
}

export const DateString = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', description: 'YYYY-MM-DD' });
export const MonthString = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
/**
 * The largest id a request may name: ids are 64-bit in both databases (a province stores
 * billions of ratings over the years), and a JSON number is exact up to 2^53 − 1.
 */
const ID_MAX = Number.MAX_SAFE_INTEGER;

/** An id a request names (path, query or body): 1 to ID_MAX. */
export const Id = Type.Integer({ minimum: 1, maximum: ID_MAX });

export const IdParam = Type.Object({ id: Id });

export const bearer = [{ bearerAuth: [] }];

/**
 * A download answered as bytes or a stream: the response serializer never runs on those, so the
 * schema only documents it (as a string, like before), while the routes are typed with what they send.
 */
export function FileBytes(description: string): TUnsafe<Uint8Array | AsyncIterable<unknown>> {
  return Type.Unsafe<Uint8Array | AsyncIterable<unknown>>({ type: 'string', description });
}

/**
 * The query fields of a long list that may be asked for one page at a time (docs/api.md): `limit` 1–200
 * and `offset`; without `limit` the whole list in scope, as scripts written before paging expect.
 * `order` goes with the list's own `sort` field.
 */
export const PageFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: '每页条数（1–200）；不传则返回范围内全部' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: '跳过前面多少条（与 limit 一起用）' })),
  order: Type.Optional(LiteralUnion(['asc', 'desc'] as const, { description: '排序方向，默认 desc（数值）或 asc（文字）' })),
};
