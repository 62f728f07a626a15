import type { FastifyError, FastifyInstance } from 'fastify';
import { errorChain, isTransientConflict } from '../../db/client.js';
import { MATTER_FIELD_LABELS } from '../../shared/api/matters.js';
import { AppError, InvalidEntries, Unavailable } from '../errors.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Chinese names of the fields citizens and staff send, for messages they can act on. */
const FIELD_LABELS: Record<string, string> = {
  score: '评价等级',
  tags: '理由',
  comment: '意见建议',
  phone: '手机号',
  consent: '同意回访',
  clientId: '设备标识',
  idempotencyKey: '提交标识',
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  from: '开始日期',
  to: '结束日期',
  month: '月份',
  size: '图片尺寸',
  note: '说明',
  location: '位置',
  limit: '每页条数',
  offset: '起始位置',
  sort: '排序',
  order: '排序方向',
  departmentId: '部门',
  active: '状态',
  alerted: '提示筛选',
  // GET /api/stats/ratings (评价 page filters)
  codeId: '评议码',
  kind: '类型',
  realName: '实名筛选',
  tag: '理由标签',
  hasComment: '留言筛选',
  held: '暂扣筛选',
  flagged: '标记筛选',
  channel: '渠道',
  date: '日期',
  entries: '问卷',
  bound: '办件筛选',
  includeExcluded: '是否含未计入的评价',
  // 办件 (PUT /api/matters/{projectNo}): named in Chinese and by the JSON field, for the business
  // system's developers who read these messages.
  projectNo: '办件编号（projectNo）',
  ...MATTER_FIELD_LABELS,
  name: '名称（name）',
  secret: '加签密钥（secret）',
  // 金点子 (POST /api/public/suggestions, POST /api/suggestions/{id}/answer)
  code: '评议码（code）',
  category: '类别（category）',
  title: '标题（title）',
  content: '建议内容（content）',
  submitterType: '提出人身份（submitterType）',
  contact: '联系方式（contact）',
  decision: '答复结果（decision）',
  reason: '答复理由（reason）',
  action: '采取的措施（action）',
  // 办不成事 through a rejected 办件's link (POST /api/public/reports)
  matterToken: '反映链接（matterToken）',
};

const PART_LABELS: Record<string, string> = { body: '请求内容', querystring: '查询参数', params: '路径参数', headers: '请求头' };

const TYPE_LABELS: Record<string, string> = { object: 'JSON 对象', array: '列表' };

/** A request without a body, or with an empty or `null` JSON body. */
const EMPTY_BODY = '请求体不能为空，应为 JSON 对象';

/**
 * A Chinese sentence for a schema violation: citizens and staff both read these messages (`body`: the
 * request's body, to tell a missing one).
 */
function describeValidation(context: string | undefined, issues: ValidationIssue[], body: unknown): string {
  const first = issues[0];
  const where = PART_LABELS[context ?? 'body'] ?? '请求';
  if (!first) return `${where}不正确`;
  const field = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  if (first.keyword === 'type' && field === '') {
    // The part as a whole has the wrong type: there is no field to name.
    if ((context ?? 'body') === 'body' && body == null) return EMPTY_BODY;
    const type = String(first.params?.type ?? '');
    return `${where}应为 ${TYPE_LABELS[type] ?? type}`;
  }
  const raw = field || (first.params?.missingProperty as string | undefined) || '';
  // An item of a list of entries (POST /api/ratings/paper): 第 3 条的日期.
  const item = /^entries\.(\d+)(?:\.(\w+))?/.exec(field);
  const missing = first.params?.missingProperty as string | undefined;
  const itemField = item ? (item[2] ?? missing) : undefined;
  const name = item
    ? `第 ${Number(item[1]) + 1} 条${itemField ? `的${FIELD_LABELS[itemField] ?? itemField}` : ''}`
    : (FIELD_LABELS[raw.split('.')[0] ?? ''] ?? raw);
  switch (first.keyword) {
    case 'required':
      return `${where}缺少${name}`;
    case 'type':
      return `${name}的类型不正确（应为 ${String(first.params?.type ?? '')}）`;
    case 'maxLength':
      return `${name}过长（最多 ${String(first.params?.limit ?? '')} 个字）`;
    case 'minLength':
      return `${name}太短或为空`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${name}超出允许范围`;
    case 'enum': {
      const allowed = (first.params?.allowedValues as unknown[] | undefined)?.filter((v) => v !== null);
      return `${name}的取值不在允许范围内${allowed?.length ? `（可选：${allowed.join('、')}）` : ''}`;
    }
    case 'const':
    case 'anyOf':
      return `${name}的取值不在允许范围内`;
    case 'pattern':
    case 'format':
      return `${name}格式不正确`;
    case 'maxItems':
      return `${name}选择过多`;
    case 'additionalProperties':
      return `${where}包含未知字段 ${String(first.params?.additionalProperty ?? '')}`;
    default:
      return `${where}中的${name}不正确`;
  }
}

// PostgreSQL going away (restart, failover, network) or not accepting connections yet: the request
// can be retried in a moment (503), and the pool reconnects by itself once the server is back.
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300']);
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether an error (or the error it wraps: drizzle wraps the driver's) says the database is unreachable. */
export function databaseUnavailable(err: unknown): boolean {
  for (const { code, message } of errorChain(err)) {
    if (typeof code === 'string' && (PG_UNAVAILABLE.has(code) || NET_UNAVAILABLE.has(code))) return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/** One error handler: `{ error, message }` with the right status; 5xx never shows internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err instanceof Unavailable) reply.header('retry-after', String(err.retryAfterSeconds));
      if (err instanceof InvalidEntries) return reply.status(400).send({ error: err.error, message: err.message, entries: err.entries });
      return reply.status(err.statusCode).send({ error: err.error, message: err.message });
    }
    if (err.validation) {
      return reply.status(400).send({
        error: 'ValidationError',
        message: describeValidation(err.validationContext, err.validation as ValidationIssue[], request.body),
      });
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: 'PayloadTooLarge', message: '提交的内容过大' });
    }
    // Request bodies in an encoding the server does not decode (@fastify/compress, app.ts), or
    // that does not decode.
    if (err.code === 'FST_CP_ERR_INVALID_CONTENT_ENCODING') {
      return reply
        .status(415)
        .send({ error: 'UnsupportedContentEncoding', message: '不支持的内容编码（Content-Encoding），请不压缩或以 gzip 提交' });
    }
    if (err.code === 'FST_CP_ERR_INVALID_CONTENT') {
      return reply.status(400).send({ error: 'InvalidContentEncoding', message: '请求内容无法按所声明的编码解压' });
    }
    if (status === 429) {
      const named = (err as { error?: unknown }).error;
      return reply
        .status(429)
        .send({ error: typeof named === 'string' ? named : 'TooManyRequests', message: err.message || '请求过于频繁，请稍后再试' });
    }
    if (status === 401 && err.code?.startsWith('FST_JWT')) {
      return reply.status(401).send({ error: 'Unauthorized', message: '未登录或登录已过期' });
    }
    if (status >= 400 && status < 500) {
      const message =
        err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? '不支持的内容类型，请以 JSON 提交'
          : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? EMPTY_BODY
            : err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError
              ? '请求内容不是有效的 JSON'
              : err.message;
      return reply.status(status).send({ error: err.code ?? 'BadRequest', message });
    }
    // PostgreSQL ended the transaction to break a lock cycle with another one (or a serialization
    // conflict): nothing of it was stored, and the same request can be sent again at once. (The
    // rating batches write themselves again: server/lib/group-commit.ts.)
    if (isTransientConflict(err)) {
      request.log.warn({ err }, 'transaction ended by a lock cycle: nothing stored, answered 503');
      return reply
        .status(503)
        .header('retry-after', '1')
        .send({ error: 'ConcurrentUpdate', message: '有其他操作同时修改了相同的数据，本次操作未保存，请重试' });
    }
    if (databaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable');
      return reply.status(503).header('retry-after', '5').send({ error: 'DatabaseUnavailable', message: '服务暂时不可用，请稍后再试' });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'InternalError', message: '服务器内部错误，请稍后再试' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: 'NotFound', message: `未找到 ${request.method} ${request.url.split('?')[0]}` });
  });
}
