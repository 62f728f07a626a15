// The bench's PostgreSQL: one throw-away cluster (test/with-postgres.ts) started on first use with
// PostgreSQL's DEFAULT durability — fsync, synchronous_commit and full_page_writes on, every other
// setting initdb's default (shared_buffers 128 MB) — and destroyed when the bench exits. Each
// measurement gets a fresh database of it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type PgCluster, postgresBinDir, startPgCluster } from '../../test/with-postgres.js';
import { atExit } from './fixture.js';

let started: Promise<PgCluster> | null = null;

/** The bench's cluster, started on first use; null when PostgreSQL is not installed. */
export async function benchCluster(): Promise<PgCluster | null> {
  const bin = postgresBinDir();
  if (!bin) return null;
  started ??= startPgCluster(bin, { durable: true }).then((c) => {
    atExit(() => c.destroy());
    return c;
  });
  return started;
}

/** The cluster's version and the settings that matter here, for the report. */
export async function clusterInfo(cluster: PgCluster): Promise<Record<string, string>> {
  const rows = await adminQuery<{ name: string; setting: string; unit: string | null }>(
    cluster,
    `SELECT name, setting, unit FROM pg_settings
     WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers',
       'work_mem', 'max_connections', 'commit_delay')`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.unit ? `${r.setting} × ${r.unit}` : r.setting]));
}

async function adminQuery<T>(cluster: PgCluster, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

let seq = 0;

/** A new empty database of the cluster; `drop()` removes it (also at exit, with the cluster). */
export async function freshPgDatabase(cluster: PgCluster, prefix: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix.replace(/[^a-z0-9_]/g, '_')}_${++seq}`;
  await adminQuery(cluster, `CREATE DATABASE ${name}`);
  const u = new URL(cluster.url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      await adminQuery(cluster, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** One query on a database of the cluster (counts after a run). */
export async function queryOnce<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

/** The pids of the cluster's processes: the postmaster first, then its children. */
export function clusterPids(cluster: PgCluster): number[] {
  const postmaster = Number(readFileSync(join(cluster.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' });
  return [
    postmaster,
    ...out
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0),
  ];
}
