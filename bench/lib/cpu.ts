// CPU time of processes, from /proc (Linux): which of the machine's two cores did what during a run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks = 0;

/**
 * CPU seconds used so far by these processes and the children they have reaped (utime + stime +
 * cutime + cstime): for PostgreSQL, the postmaster's reaped children are the backends that ended.
 * A process gone meanwhile counts 0.
 */
export function procCpuSeconds(pids: readonly number[]): number {
  ticks ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let total = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name (which may hold spaces): state is field 3, utime field 14.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return total / ticks;
}

/** CPU seconds of this process alone (its threads; not the children it has reaped). */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * CPU seconds of this process's main thread alone (Linux: /proc/self/task/<pid>/stat; the worker
 * threads, V8's helper threads and libuv's pool are left out). Ticks of 10 ms: for runs of seconds.
 */
export function mainThreadCpuSeconds(): number {
  ticks ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / ticks;
}
