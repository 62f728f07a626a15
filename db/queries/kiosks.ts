// The 评价器 (kiosk) of a window: its credential (only the token's SHA-256 is stored), its window, and
// the 办件 finished there that its tablet is shown.
import { type DbOrTx, only, statement } from '../client.js';
import { kiosks } from '../schema.js';

export async function insertKiosk(tx: DbOrTx, values: { codeId: string; tokenHash: string; createdBy: number; createdAt: number }) {
  return only(tx.insert(kiosks).values(values).returning({ id: kiosks.id }));
}

/** A kiosk as staff see it (the list of a code, the answer of a change). */
export interface KioskRow {
  id: number;
  codeId: string;
  createdAt: number;
  createdByName: string;
  lastSeenAt: number | null;
  revokedAt: number | null;
}

const KIOSK_COLUMNS = `k.id, k.code_id AS "codeId", k.created_at AS "createdAt", u.display_name AS "createdByName",
  k.last_seen_at AS "lastSeenAt", k.revoked_at AS "revokedAt"`;

/** The kiosks of a window, the newest first (revoked ones included: they are the record). */
export async function listKiosksOfCode(db: DbOrTx, codeId: string): Promise<KioskRow[]> {
  return statement(
    db,
    `SELECT ${KIOSK_COLUMNS} FROM kiosks k JOIN users u ON u.id = k.created_by WHERE k.code_id = ? ORDER BY k.id DESC`,
  ).all<KioskRow>([codeId]);
}

export async function findKioskById(db: DbOrTx, id: number): Promise<KioskRow | undefined> {
  return statement(db, `SELECT ${KIOSK_COLUMNS} FROM kiosks k JOIN users u ON u.id = k.created_by WHERE k.id = ?`).get<KioskRow>([id]);
}

/** Revokes a kiosk; false when it was revoked already (its first revocation stands). */
export async function revokeKiosk(tx: DbOrTx, id: number, now: number): Promise<boolean> {
  return (
    (await statement(tx, 'UPDATE kiosks SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id').get([now, id])) !== undefined
  );
}

/** A tablet's credential, resolved: its kiosk, its window and whether either still works. */
export interface KioskCredential {
  id: number;
  codeId: string;
  revokedAt: number | null;
  lastSeenAt: number | null;
  codeActive: number;
  departmentId: number;
  departmentName: string;
  location: string;
  staffName: string | null;
}

export async function findKioskByTokenHash(db: DbOrTx, tokenHash: string): Promise<KioskCredential | undefined> {
  return statement(
    db,
    `SELECT k.id, k.code_id AS "codeId", k.revoked_at AS "revokedAt", k.last_seen_at AS "lastSeenAt", c.active AS "codeActive",
       c.department_id AS "departmentId", d.name AS "departmentName", c.location, c.staff_name AS "staffName"
     FROM kiosks k JOIN codes c ON c.id = k.code_id JOIN departments d ON d.id = c.department_id
     WHERE k.token_hash = ?`,
  ).get<KioskCredential>([tokenHash]);
}

/**
 * Notes that these kiosks' tablets are connected (`last_seen_at`), unless one was noted since
 * `before`: one statement for every tablet of the instance, at most once a minute.
 */
export async function touchKiosks(tx: DbOrTx, ids: readonly number[], now: number, before: number): Promise<void> {
  await statement(
    tx,
    `UPDATE kiosks SET last_seen_at = @now
     WHERE id IN (SELECT value FROM json_each(@ids)) AND (last_seen_at IS NULL OR last_seen_at < @before)`,
  ).run({ now, ids: JSON.stringify(ids), before });
}

/** One row per kiosk asked for and 办件 finished at its window since `since` (none: the matter columns null). */
export interface KioskPollRow {
  kioskId: number;
  revokedAt: number | null;
  codeActive: number;
  projectNo: string | null;
  taskName: string | null;
  departmentName: string | null;
  finishedAt: number | null;
  matterId: number | null;
  ratingCount: number | null;
}

/**
 * What every connected tablet of an instance needs to know, in ONE statement however many there are:
 * whether each kiosk still works, and the 办件 finished at its window since `since` (each window's
 * probed through the index matters(code_id, finished_at)).
 */
export async function pollKiosks(db: DbOrTx, ids: readonly number[], since: number): Promise<KioskPollRow[]> {
  return statement(
    db,
    `SELECT k.id AS "kioskId", k.revoked_at AS "revokedAt", c.active AS "codeActive", m.id AS "matterId",
       m.project_no AS "projectNo", m.task_name AS "taskName", d.name AS "departmentName", m.finished_at AS "finishedAt",
       m.rating_count AS "ratingCount"
     FROM kiosks k
     JOIN codes c ON c.id = k.code_id
     LEFT JOIN matters m ON m.code_id = k.code_id AND m.finished_at >= @since AND m.status = 'finished'
     LEFT JOIN departments d ON d.id = m.department_id
     WHERE k.id IN (SELECT value FROM json_each(@ids))`,
  ).all<KioskPollRow>({ ids: JSON.stringify(ids), since });
}
