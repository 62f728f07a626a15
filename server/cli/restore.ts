// npm run restore -- <backup-file>: checks a backup and installs it as DB_FILE. Stop the server
// first. The current database is kept beside it (…before-restore-<time>), never deleted.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { tightenMode } from '../../db/private-files.js';
import { loadConfig } from '../config.js';
import { checkBackup } from './backup-check.js';

function main(): void {
  const source = process.argv[2];
  if (!source) {
    console.error('用法 / usage: npm run restore -- <backup-file>   (stop the server first)');
    process.exit(2);
  }
  const config = loadConfig();
  const backup = resolve(source);
  const problem = checkBackup(backup);
  if (problem) {
    console.error(`备份不可用，未做任何改动 / backup rejected, nothing changed: ${problem}`);
    process.exit(1);
  }
  const target = resolve(config.dbFile);
  const staging = `${target}.restoring`;
  copyFileSync(backup, staging);
  // The copy keeps the backup's mode; the live database is the service account's alone.
  tightenMode(staging);
  if (existsSync(target)) {
    const aside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // Fold the live WAL into the old file before moving it aside, so it stays a complete database.
    const old = new Database(target);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    renameSync(target, aside);
    console.log(`原数据库已保留 / previous database kept at ${aside}`);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  console.log(`已恢复 / restored ${backup} → ${target}`);
}

main();
