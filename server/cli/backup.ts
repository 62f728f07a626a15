// npm run backup -- <file>: a consistent copy of the live database through SQLite's online backup
// API, safe while the server keeps writing (it copies a snapshot, retrying pages changed meanwhile).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile } from '../../db/private-files.js';
import { loadConfig } from '../config.js';

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) {
    console.error('用法 / usage: npm run backup -- <backup-file>');
    process.exit(2);
  }
  const config = loadConfig();
  const source = resolve(config.dbFile);
  if (!existsSync(source)) {
    console.error(`数据库不存在 / no database at ${source}`);
    process.exit(1);
  }
  const dest = resolve(target);
  if (existsSync(dest)) {
    console.error(`目标文件已存在，不会覆盖 / refusing to overwrite ${dest}`);
    process.exit(1);
  }
  // Created here, empty and 0600, before SQLite writes the copy into it (SQLite would create it 0644).
  createPrivateFile(dest);
  const db = new Database(source, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const started = Date.now();
  await db.backup(dest);
  db.close();
  const copy = new Database(dest, { readonly: true });
  const check = copy.pragma('integrity_check', { simple: true });
  const ratings = (copy.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n;
  copy.close();
  if (check !== 'ok') {
    console.error(`备份校验失败 / backup failed integrity_check: ${String(check)}`);
    process.exit(1);
  }
  console.log(`备份完成 / backup written: ${dest} (${ratings} ratings, ${Date.now() - started} ms, integrity ok)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
