// The checks of a pushed 办件 that a schema cannot make (docs/api.md §11): times that name a real
// moment, the order of the times, the mobile's pattern. Every refusal names the field, in Chinese and
// by its JSON name, for the business system's developers who read it.
import { MATTER_FIELD_LABELS as L, type PutMatterInput } from '../../../shared/api/matters.js';
import { dayNumber, daysInMonth, MS_PER_DAY } from '../../../shared/china-time.js';
import { type ApplicantType, type MatterSource, type MatterStatus, MOBILE_PATTERN, normalizePhone } from '../../../shared/domain.js';
import { BadRequest } from '../../errors.js';

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** China time: a time sent without an offset is a time on the hall's wall clock. */
const CHINA_OFFSET_MINUTES = 480;
/** How far ahead of the server's clock a time may be (a business system's clock may run a little fast). */
const FUTURE_MARGIN_MS = MS_PER_DAY;
/** Nothing of this platform happened before this year. */
const FIRST_YEAR = 2000;

/** Ms since the epoch of an ISO-8601 time (`T` or a space between date and time), or null. */
export function parseIsoTime(text: string): number | null {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  let offset = CHINA_OFFSET_MINUTES;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || '0');
    if (hours > 14 || minutes > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  } else if (zone) {
    offset = 0;
  }
  if (y < FIRST_YEAR) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}

function invalid(message: string): BadRequest {
  return new BadRequest(message, 'InvalidField');
}

function time(text: string, label: string, now: number): number {
  const at = parseIsoTime(text);
  if (at === null) throw invalid(`${label}不是有效的 ISO-8601 时间（如 2026-11-23T10:00:00+08:00）`);
  if (at > now + FUTURE_MARGIN_MS) throw invalid(`${label}晚于当前时间，请检查业务系统的时钟`);
  return at;
}

/** A pushed 办件's fields, checked and normalised (blank optional text is null). */
export interface MatterFields {
  code: string;
  taskCode: string;
  taskName: string;
  staffName: string | null;
  applicantType: ApplicantType | null;
  applicantPhone: string | null;
  status: MatterStatus;
  acceptedAt: number;
  finishedAt: number | null;
  promisedDate: string | null;
  source: MatterSource | null;
}

export function checkMatterFields(body: PutMatterInput, now: number): MatterFields {
  const required = (value: string, label: string) => {
    const v = value.trim();
    if (!v) throw invalid(`${label}不能为空`);
    return v;
  };
  const optional = (value: string | null | undefined) => {
    const v = value?.trim() ?? '';
    return v === '' ? null : v;
  };
  const code = required(body.code, L.code);
  const taskCode = required(body.taskCode, L.taskCode);
  const taskName = required(body.taskName, L.taskName);
  let applicantPhone = optional(body.applicantPhone);
  if (applicantPhone !== null) {
    applicantPhone = normalizePhone(applicantPhone);
    if (!MOBILE_PATTERN.test(applicantPhone)) throw invalid('申请人手机号（applicantPhone）格式不正确，应为 11 位手机号');
  }
  const acceptedAt = time(body.acceptedAt, L.acceptedAt, now);
  const finishedText = optional(body.finishedAt);
  let finishedAt: number | null = null;
  if (body.status === 'finished' && finishedText === null) throw invalid('状态为已办结（finished）时必须给出办结时间（finishedAt）');
  if (body.status === 'accepted' && finishedText !== null) throw invalid('状态为已受理（accepted）时不应有办结时间（finishedAt）');
  if (finishedText !== null) {
    finishedAt = time(finishedText, L.finishedAt, now);
    if (finishedAt < acceptedAt) throw invalid('办结时间（finishedAt）早于受理时间（acceptedAt）');
  }
  const promisedDate = body.promisedDate ?? null;
  if (promisedDate !== null && dayNumber(promisedDate) === null) throw invalid('承诺办结日期（promisedDate）不是有效日期');
  return {
    code,
    taskCode,
    taskName,
    staffName: optional(body.staffName),
    applicantType: body.applicantType ?? null,
    applicantPhone,
    status: body.status,
    acceptedAt,
    finishedAt,
    promisedDate,
    source: body.source ?? null,
  };
}
