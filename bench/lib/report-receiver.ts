// Starts the `report` bench's receiver (report-receiver-child.ts) in a child process and asks it for
// its figures over IPC: a province on the same machine, on the core the server leaves.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SignatureMethod } from '../../server/modules/reporting/signing.js';
import { atExit } from './fixture.js';

export interface ReceiverStats {
  /** POSTs received, and the records in those answered 200. */
  posts: number;
  records: number;
  /** Distinct recordIds acknowledged (answered 200). */
  distinct: number;
  /** A recordId acknowledged again; `changed`: … with another content than the first time. */
  duplicates: number;
  changed: number;
  /** POSTs answered 4xx (bad signature, timestamp, body or appId). */
  refused: number;
  bytes: number;
  /** Time from a body's last byte to its answer (verify, parse, bookkeeping), summed. */
  handleMs: number;
  /** The largest batch. */
  maxRecords: number;
  /** CPU seconds of the receiver process since it started. */
  cpuS: number;
}

export interface ReceiverChild {
  url: string;
  pid: number;
  stats(): Promise<ReceiverStats>;
  /** Forgets every record and count (a new app, whose record ids start again at 1). */
  reset(): Promise<ReceiverStats>;
  close(): void;
}

const child = fileURLToPath(new URL('./report-receiver-child.ts', import.meta.url));

function ask(proc: ChildProcess, op: 'stats' | 'reset'): Promise<ReceiverStats> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`report receiver exited with ${code}`));
    proc.once('exit', onExit);
    proc.once('message', (m) => {
      proc.off('exit', onExit);
      resolve(m as ReceiverStats);
    });
    proc.send({ op });
  });
}

export function startReceiverChild(opts: { key: string; appId: string; method: SignatureMethod }): Promise<ReceiverChild> {
  return new Promise((resolve, reject) => {
    const proc = fork(child, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const forget = atExit(() => proc.kill());
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`report receiver exited with ${code} before listening`)));
    proc.once('message', (m) => {
      proc.removeAllListeners('exit');
      resolve({
        url: (m as { url: string }).url,
        pid: proc.pid!,
        stats: () => ask(proc, 'stats'),
        reset: () => ask(proc, 'reset'),
        close: forget,
      });
    });
    proc.send(opts);
  });
}
