// The real server as a child process, started as production starts it (`npm run serve`:
// `node --import tsx server/main.ts`, one node process), on a free port. Its stdout and stderr (the
// production log, and the banner the port is read from) go to a file, so that nothing of its output
// passes through the bench's own process. Same start-up as test/helpers/server-process.ts, without
// vitest.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { atExit } from './fixture.js';

const ROOT = resolve(import.meta.dirname, '../..');

export interface BenchServer {
  pid: number;
  url: string;
  /** SIGTERM (graceful: in-flight requests finish, the queue is flushed), then waits for the exit. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startServer(env: Record<string, string>, logFile: string): Promise<BenchServer> {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', fd, fd],
    // Its own process group: a kill reaches everything it started.
    detached: true,
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the server');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // gone already
    }
  };
  const forget = atExit(() => kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /管理后台:\s+http:\/\/localhost:(\d+)\/admin\//.exec(readFileSync(logFile, 'utf8'));
    if (m) {
      return {
        pid,
        url: `http://127.0.0.1:${m[1]}`,
        async stop() {
          kill('SIGTERM');
          const timer = setTimeout(() => kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
          forget();
        },
      };
    }
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      forget();
      throw new Error(`server did not start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await sleep(100);
  }
}
