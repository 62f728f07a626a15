// Files that hold the data or its keys (the SQLite database and its -wal/-shm, .jwt-secret, .data-key,
// backups) are readable by the service account only: mode 0600. SQLite itself creates a database 0644
// (less the umask), and its -wal and -shm copy the database file's mode; so the database file is made
// 0600 before SQLite first opens it. A file an earlier version left group- or world-readable is
// tightened when the server (or a CLI) opens it.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const PRIVATE = 0o600;

/** Sets `file` to 0600 if it exists and anyone but its owner may read or write it. */
export function tightenMode(file: string): void {
  if (!existsSync(file) || (statSync(file).mode & 0o077) === 0) return;
  try {
    chmodSync(file, PRIVATE);
  } catch (err) {
    // Not the file's owner (a file the operator shares on purpose, under another account): leave it.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

/** Makes `file` exist (empty if new) with mode 0600, and tightens it if it already existed. */
export function ensurePrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  closeSync(openSync(file, 'a', PRIVATE));
  tightenMode(file);
}

/** Creates `file`, which must not exist yet, empty with mode 0600 (fails with EEXIST otherwise). */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'wx', PRIVATE));
  // The umask can only remove bits; this also covers an odd umask that left 0600 alone.
  tightenMode(file);
}

/** The database file and its WAL companions, before SQLite opens them. */
export function privateDatabaseFiles(file: string): void {
  ensurePrivateFile(file);
  for (const suffix of ['-wal', '-shm']) tightenMode(`${file}${suffix}`);
}
