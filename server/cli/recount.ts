// npm run recount [-- --fix]: proves the rollups equal a recount from the raw ratings and cases
// (exit 1 on any mismatch), or with --fix replaces them by the recount in one transaction.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeDb, openDb } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import type { VerifyResponse } from '../../shared/api/stats.js';
import { ConfigError, loadConfig } from '../config.js';
import { rebuildRollups, verifyRollups } from '../modules/stats/recount.js';

type Log = (line: string) => void;

function report(result: VerifyResponse, log: Log): void {
  const checked = Object.entries(result.checked)
    .map(([t, n]) => `${t}: ${n}`)
    .join(', ');
  log(`已核对汇总行 / rollup rows checked — ${checked}`);
  if (result.ok) {
    log('统计汇总与原始数据一致 / rollups equal a recount from raw rows: OK');
    return;
  }
  log(`发现 ${result.mismatchCount} 处不一致 / ${result.mismatchCount} mismatching rollup rows:`);
  for (const m of result.mismatches) {
    log(`  ${m.table} ${JSON.stringify(m.key)} expected ${JSON.stringify(m.expected)} actual ${JSON.stringify(m.actual)}`);
  }
  if (result.mismatchCount > result.mismatches.length) log(`  …（另有 ${result.mismatchCount - result.mismatches.length} 处）`);
}

/** Runs the command; returns the process exit code (0 ok, 1 mismatch or error, 2 usage). */
export async function runRecount(
  args: readonly string[],
  env: Record<string, string | undefined>,
  log: Log = console.log,
): Promise<number> {
  const unknown = args.filter((a) => a !== '--fix');
  if (unknown.length) {
    log(`用法 / usage: npm run recount [-- --fix]（未知参数 / unknown: ${unknown.join(' ')}）`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      log(`配置错误 / configuration error: ${err.message}`);
      return 1;
    }
    throw err;
  }
  if (config.dbFile !== ':memory:' && !existsSync(resolve(config.dbFile))) {
    log(`数据库不存在 / no database at ${resolve(config.dbFile)}`);
    return 1;
  }
  const db = openDb(config.dbFile);
  try {
    await migrateDb(db);
    if (args.includes('--fix')) {
      const before = await verifyRollups(db);
      log(
        before.ok
          ? '重建前已一致 / rollups were already consistent'
          : `重建前有 ${before.mismatchCount} 处不一致 / ${before.mismatchCount} mismatches before the rebuild`,
      );
      const after = await rebuildRollups(db);
      log('已按原始数据重建统计汇总 / rollups rebuilt from raw rows');
      report(after, log);
      return after.ok ? 0 : 1;
    }
    const result = await verifyRollups(db);
    report(result, log);
    return result.ok ? 0 : 1;
  } finally {
    await closeDb(db);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runRecount(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
