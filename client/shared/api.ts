// The staff app's API client: JSON in, JSON out, errors as ApiError carrying the server's message.
import type { Role } from '../../shared/domain.js';

const TOKEN_KEY = 'mspy.token';
const USER_KEY = 'mspy.user';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentIds: number[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    /** The whole JSON answer (a batch's 400 names each bad entry: `entries`). */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

/** What to tell the user of a failed call: the server's message, or `fallback` (no network, a bug…). */
export function errorMessage(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function getSessionUser(): SessionUser | null {
  const raw = localStorage.getItem(USER_KEY);
  try {
    return raw ? (JSON.parse(raw) as SessionUser) : null;
  } catch {
    return null;
  }
}

export function saveSession(token: string, user: SessionUser): void {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

let onUnauthorized: () => void = () => {};
/** What the app does when the session has ended (a 401, or signOut): forget it, show the login page. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** Ends the session in this browser once the server has ended it (logout, logout-all). */
export function signOut(): void {
  onUnauthorized();
}

/**
 * How many times a request the server answered 503 ConcurrentUpdate is sent again. That answer means
 * the database ended its transaction to break a lock cycle with another write (PostgreSQL) and nothing
 * of it was stored, so sending it again is safe; a moment later it goes through, and the user never
 * sees "请重试" for it. Other 503s (the database unreachable) are not resent: whether a write was
 * stored is then unknown.
 */
const CONFLICT_RESENDS = 2;
/** The longest wait before a resend, whatever Retry-After says. */
const MAX_RESEND_WAIT_MS = 5000;

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  for (let resent = 0; ; resent++) {
    const res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (res.ok) return data as T;
    const body = (data ?? {}) as { error?: string; message?: string };
    if (res.status === 503 && body.error === 'ConcurrentUpdate' && resent < CONFLICT_RESENDS) {
      const seconds = Number(res.headers.get('retry-after'));
      await new Promise((r) =>
        setTimeout(r, Math.min(MAX_RESEND_WAIT_MS, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000)),
      );
      continue;
    }
    if (res.status === 401 && !path.endsWith('/login')) onUnauthorized();
    throw new ApiError(res.status, body.error ?? 'HttpError', body.message ?? `请求失败（${res.status}）`, data);
  }
}

/** Opens a staff-only file (export, print sheet) with the token, since links cannot carry headers. */
export async function openAuthed(path: string, filename?: string): Promise<void> {
  const token = getToken();
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, 'HttpError', `下载失败（${res.status}）`);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  if (filename) {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
  } else {
    window.open(url, '_blank');
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
