// The public lookup of a code, cached: the citizen page, the scan beacon, the QR images and the rating
// path (the hottest route) all start here, and a code changes rarely.

import { LRUCache } from 'lru-cache';
import type { Db } from '../../../db/client.js';
import { type CodeWithDepartment, getCodeWithDepartment } from '../../../db/queries/codes.js';
import { normalizeCodeId } from '../../../qr-codes/index.js';
import type { PublicCodeInfoT } from '../../../shared/api/codes.js';
import { NotFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';

// Department names can change elsewhere; a short life bounds how long a cached name can be stale.
const PUBLIC_INFO_TTL_MS = 60_000;

/** The one answer for a code that does not exist, or (staff) is outside the actor's scope. */
export function codeNotFound(): NotFound {
  return new NotFound('评议码不存在', 'CodeNotFound');
}

/** A code row as the public side knows it (the staff views add to it). */
export function publicCodeInfo(row: CodeWithDepartment): PublicCodeInfoT {
  return {
    code: row.id,
    departmentId: row.departmentId,
    departmentName: row.departmentName,
    location: row.location,
    staffName: row.staffName ?? null,
    serviceItems: row.serviceItems ?? [],
    active: row.active,
  };
}

export function createCodeLookup(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  // Only existing codes are cached: caching misses would let anyone fill memory with made-up ids.
  const cache = new LRUCache<string, { info: PublicCodeInfoT; until: number }>({ max: 5000 });

  // Frozen: one cached object is handed to every caller.
  function toPublic(row: CodeWithDepartment): PublicCodeInfoT {
    const info = publicCodeInfo(row);
    return Object.freeze({ ...info, serviceItems: Object.freeze([...info.serviceItems]) as string[] });
  }

  /** Public info of a code (any spelling a person might type), or null when there is no such code. */
  async function getPublicInfo(raw: string): Promise<PublicCodeInfoT | null> {
    const code = normalizeCodeId(raw);
    if (!code) return null;
    const now = clock.now();
    const hit = cache.get(code);
    if (hit && hit.until > now) return hit.info;
    const row = await getCodeWithDepartment(db, code);
    if (!row) {
      cache.delete(code);
      return null;
    }
    const info = toPublic(row);
    cache.set(code, { info, until: now + PUBLIC_INFO_TTL_MS });
    return info;
  }

  return {
    getPublicInfo,

    /** Public info of a code, disabled codes included (the citizen page says so), or NotFound. */
    async requirePublicInfo(raw: string): Promise<PublicCodeInfoT> {
      const info = await getPublicInfo(raw);
      if (!info) throw codeNotFound();
      return info;
    },

    /** Drops a changed code, so the next lookup reads the change. */
    forget(code: string): void {
      cache.delete(code);
    },

    /** Drops every cached code (another instance changed codes or departments). */
    forgetAll(): void {
      cache.clear();
    },
  };
}

export type CodeLookup = ReturnType<typeof createCodeLookup>;
