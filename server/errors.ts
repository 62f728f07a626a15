// Services throw AppErrors; one error handler (plugins/errors.ts) maps them to `{ error, message }`.

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = error;
  }
}

export class BadRequest extends AppError {
  constructor(message: string, error = 'BadRequest') {
    super(400, error, message);
  }
}

/** One bad entry of a batch (POST /api/ratings/paper): its place (from 0), its field and why, in Chinese. */
export interface EntryError {
  index: number;
  field: string;
  message: string;
}

/** 400 naming every bad entry of a batch: answered as `{ error, message, entries }` (message: the first). */
export class InvalidEntries extends BadRequest {
  constructor(readonly entries: EntryError[]) {
    const more = entries.length > 1 ? `（共 ${entries.length} 处错误）` : '';
    super(`${entries[0]!.message}${more}，均未录入`, 'InvalidEntry');
  }
}

export class Unauthorized extends AppError {
  constructor(message = '未登录或登录已过期', error = 'Unauthorized') {
    super(401, error, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = '无权执行此操作', error = 'Forbidden') {
    super(403, error, message);
  }
}

export class NotFound extends AppError {
  constructor(message = '未找到', error = 'NotFound') {
    super(404, error, message);
  }
}

export class Conflict extends AppError {
  constructor(message: string, error = 'Conflict') {
    super(409, error, message);
  }
}

export class Gone extends AppError {
  constructor(message: string, error = 'Gone') {
    super(410, error, message);
  }
}

export class TooMany extends AppError {
  constructor(message: string, error = 'TooManyRequests') {
    super(429, error, message);
  }
}

/** Busy for a moment: answered 503 with `Retry-After`. */
export class Unavailable extends AppError {
  constructor(
    message: string,
    error = 'ServiceUnavailable',
    readonly retryAfterSeconds = 5,
  ) {
    super(503, error, message);
  }
}
