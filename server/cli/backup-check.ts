import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

const REQUIRED_TABLES = ['org_units', 'departments', 'codes', 'ratings', 'cases', 'case_events', 'users', '__drizzle_migrations'];

/** Why a file is not a usable backup, or null when it is. */
export function checkBackup(file: string): string | null {
  if (!existsSync(file)) return `文件不存在 / no such file: ${file}`;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return `integrity_check: ${String(check)}`;
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
    );
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length) return `不是码上评议的数据库，缺少表 / missing tables: ${missing.join(', ')}`;
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) return `外键不一致 / foreign_key_check found ${fk.length} problems`;
    return null;
  } catch (err) {
    return `无法打开 / cannot open: ${(err as Error).message}`;
  } finally {
    db?.close();
  }
}
