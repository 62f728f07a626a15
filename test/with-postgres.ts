// Runs a command against a throw-away PostgreSQL cluster: initdb into a temp dir, start it on a free
// port (as the `postgres` user when run as root: PostgreSQL refuses to run as root), run the command
// with TEST_DATABASE_URL set, stop the cluster and remove the dir. `npm test` runs the suite through
// it a second time. Without PostgreSQL installed it skips with a notice, unless CI is set (CI
// installs Debian's postgresql, so there a missing server is an error).
//   node --import tsx test/with-postgres.ts <command> [args…]
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export interface PgCluster {
  url: string;
  bin: string;
  data: string;
  dir: string;
  /** `pg_ctl stop` with the given mode (the data stays). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again on the same port after `stop`. */
  start(): void;
  /** Stops it and removes its directory. */
  destroy(): void;
}

export interface PgClusterOptions {
  /**
   * PostgreSQL's default durability (fsync, synchronous_commit and full_page_writes on), as a
   * production server runs: for the benchmarks. Without it, a test cluster that skips them.
   */
  durable?: boolean;
}

/** initdb into a temp dir and start on a free port (as `postgres` when running as root). */
export async function startPgCluster(bin: string, options: PgClusterOptions = {}): Promise<PgCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'msp-pg-'));
  const data = join(dir, 'data');
  const run = (file: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : file, asRoot ? ['-u', 'postgres', '--', file, ...args] : args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  // A test cluster: nothing here must survive an OS crash, so no fsync (the suite creates a database
  // per test). The app's own durability across its kill -9 does not depend on these settings.
  const fast = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast} -c max_connections=300`;
  let running = false;
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    bin,
    data,
    dir,
    start() {
      run(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', 'start']);
      running = true;
    },
    stop(mode = 'fast') {
      if (!running) return;
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
      } catch {
        // already gone
      }
      running = false;
    },
    destroy() {
      cluster.stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

/** The bin directory of Debian's PostgreSQL (or PG_BIN), or null when it is not installed. */
export function postgresBinDir(): string | null {
  const bin = binDir();
  return bin && existsSync(join(bin, 'initdb')) ? bin : null;
}

async function main(): Promise<number> {
  const command = process.argv.slice(2);
  if (command.length === 0) {
    console.error('usage: with-postgres <command> [args…]');
    return 2;
  }
  const bin = postgresBinDir();
  if (!bin) {
    const msg = 'PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL run of the tests is skipped.';
    if (process.env.CI) {
      console.error(`${msg} CI requires it.`);
      return 1;
    }
    console.warn(`\n*** ${msg}\n`);
    return 0;
  }
  const cluster = await startPgCluster(bin);
  const cleanUp = () => cluster.destroy();
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  process.once('SIGTERM', () => {
    cleanUp();
    process.exit(143);
  });
  try {
    console.log(`\nPostgreSQL ${bin.split('/').at(-2) ?? ''} (throw-away cluster in ${cluster.dir}): ${command.join(' ')}\n`);
    return await new Promise<number>((resolve) => {
      const child = spawn(command[0]!, command.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, TEST_DATABASE_URL: cluster.url, PG_BIN: bin },
      });
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
  } finally {
    cleanUp();
  }
}

// Run as a script (not when a test imports startPgCluster).
if (process.argv[1]?.endsWith('with-postgres.ts')) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
