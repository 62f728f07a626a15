// The real server as a child process (crash, backup and lifecycle tests), started exactly as production
// starts it (`npm run serve`): `node --import tsx server/main.ts` — ONE node process that listens and
// receives the signals, no tsx wrapper in between. It runs in its own process group (detached), and
// every signal goes to the whole group, so nothing it started (esbuild's service) outlives it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** The production command line after `node`: tsx's loader inside the server process itself. */
export const SERVER_ARGS = ['--import', 'tsx', 'server/main.ts'];

export interface ServerProcess {
  child: ChildProcess;
  /** The server's own pid, which is also its process group id. */
  pid: number;
  url: string;
  output: () => string;
  /** Exit code, or null when a signal ended it. Settles once the process has been reaped. */
  exited: Promise<number | null>;
  /** Sends `signal` to the whole process group; a group that is already gone is not an error. */
  kill: (signal: NodeJS.Signals) => void;
  /** Resolves once a TCP connect to the server's port is refused; rejects if it still answers after `timeoutMs`. */
  waitUntilPortClosed: (timeoutMs?: number) => Promise<void>;
}

const running = new Set<ServerProcess>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** True while a process (or, for a negative id, any process of that group) with this id exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Waits (up to `timeoutMs`) until no process with this id exists; false if one still does. */
export async function processGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processExists(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Every live process below `pid` (children, their children…), read from /proc by parent id. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Resolves when connecting to `url`'s port is refused (nobody listens any more). */
export async function waitUntilPortClosed(url: string, timeoutMs = 10_000): Promise<void> {
  const { hostname, port } = new URL(url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await new Promise<string>((res) => {
      const socket = connect(Number(port), hostname);
      socket.once('connect', () => {
        socket.destroy();
        res('open');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => res(err.code ?? 'error'));
    });
    if (outcome === 'ECONNREFUSED') return;
    if (Date.now() > deadline) throw new Error(`${url} still answers ${timeoutMs} ms after the kill (last connect: ${outcome})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts the real server: `node --import tsx server/main.ts` itself, or with `{ viaNpm: true }` the way an
 * operator types it, `npm run serve` (npm, then the script's shell, which must exec node).
 */
export async function startServerProcess(env: Record<string, string>, opts: { viaNpm?: boolean } = {}): Promise<ServerProcess> {
  const [command, args] = opts.viaNpm ? ['npm', ['run', '--silent', 'serve']] : [process.execPath, SERVER_ARGS];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_PASSWORD: 'bench-password-1',
      SEED_DEMO_ACTIVITY: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the server process');
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const server: ServerProcess = {
    child,
    pid,
    url: '',
    output: () => out,
    exited,
    kill: (signal) => killGroup(pid, signal),
    waitUntilPortClosed: (timeoutMs) => waitUntilPortClosed(server.url, timeoutMs),
  };
  // Kept until killServerProcesses(), even after the group leader exits: a process it left behind in
  // its group (a server that outlived npm) must still be killed.
  running.add(server);

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const m = /管理后台:\s+(http:\/\/localhost:\d+)\/admin\//.exec(out);
    if (m) {
      server.url = m[1]!.replace('localhost', '127.0.0.1');
      return server;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      killGroup(pid, 'SIGKILL');
      throw new Error(`server exited early:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  killGroup(pid, 'SIGKILL');
  await exited;
  throw new Error(`server did not start:\n${out}`);
}

/**
 * For afterEach: SIGKILLs the process group of every server started here that has not been reaped yet
 * (also the ones a failing test never got to stop) and waits until each has exited.
 */
export async function killServerProcesses(): Promise<void> {
  const left = [...running];
  running.clear();
  for (const server of left) server.kill('SIGKILL');
  await Promise.all(
    left.map(async (s) => {
      await s.exited;
      await processGone(-s.pid);
    }),
  );
}

// Last resort if the test worker exits without running its hooks: process.kill is synchronous.
process.once('exit', () => {
  for (const server of running) killGroup(server.pid, 'SIGKILL');
});

export function runCli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('exit', (code) => res({ code, out }));
  });
}

/**
 * For a test file that runs the real server: `tempDir(prefix)` makes a folder for its database, and
 * after each test every server process still running is killed (its whole group) and every such folder
 * removed, whether the test passed or not.
 */
export function useServerProcesses(): { tempDir(prefix: string): string } {
  const dirs: string[] = [];
  afterEach(async () => {
    await killServerProcesses();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    tempDir(prefix: string): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
}
