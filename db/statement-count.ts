// Counts the statements SQLite connections execute: every run/get/all/iterate of a prepared
// statement, whether prepared once per connection or per call. For the bench (statements per rating)
// and the tests (statements per batch): a measurement of what really ran, not of what was meant to.
import type Database from 'better-sqlite3';
import pg from 'pg';
import { type Db, writerOf } from './client.js';

type Method = 'run' | 'get' | 'all' | 'iterate';
const METHODS: readonly Method[] = ['run', 'get', 'all', 'iterate'];

export interface StatementCount {
  /** Statements executed so far on the connections counted (that `filter` kept). */
  readonly count: number;
  /** The SQL of each statement counted, in order, when asked for with `keepSources`. */
  readonly sources: readonly string[];
  /** Stops counting (the statement methods are restored when no count is running). */
  stop(): void;
}

interface Counter {
  connections: ReadonlySet<Database.Database>;
  filter: (source: string) => boolean;
  keepSources: boolean;
  count: number;
  sources: string[];
}

const running = new Set<Counter>();
let restore: (() => void) | null = null;

/** Wraps the methods of better-sqlite3's Statement prototype (shared by every connection) once. */
function install(client: Database.Database): void {
  if (restore) return;
  const proto = Object.getPrototypeOf(client.prepare('SELECT 1')) as Record<Method, (...args: unknown[]) => unknown>;
  const originals = METHODS.map((m) => [m, proto[m]] as const);
  for (const [m, original] of originals) {
    proto[m] = function (this: Database.Statement, ...args: unknown[]) {
      for (const c of running) {
        if (c.connections.has(this.database) && c.filter(this.source)) {
          c.count++;
          if (c.keepSources) c.sources.push(this.source);
        }
      }
      return original.apply(this, args);
    };
  }
  restore = () => {
    for (const [m, original] of originals) proto[m] = original;
    restore = null;
  };
}

/** Starts counting the statements executed on `connections` (optionally only those `filter` keeps). */
export function countStatements(
  connections: readonly Database.Database[],
  opts: { filter?: (source: string) => boolean; keepSources?: boolean } = {},
): StatementCount {
  if (connections.length === 0) throw new Error('no connection to count');
  install(connections[0]!);
  const counter: Counter = {
    connections: new Set(connections),
    filter: opts.filter ?? (() => true),
    keepSources: opts.keepSources ?? false,
    count: 0,
    sources: [],
  };
  running.add(counter);
  return handleOf(counter, running, () => restore?.());
}

/** The caller's view of a running counter; `stop` restores the wrapped methods once no count runs. */
function handleOf(counter: Counter, set: Set<Counter>, restoreAll: () => void): StatementCount {
  return {
    get count() {
      return counter.count;
    },
    get sources() {
      return counter.sources;
    },
    stop() {
      set.delete(counter);
      if (set.size === 0) restoreAll();
    },
  };
}

/**
 * Counts the statements a database runs on the connection(s) that write: SQLite's writing connection,
 * or every query of this process's PostgreSQL clients. `transactions` counts the transactions begun
 * instead (SQLite's BEGIN IMMEDIATE, PostgreSQL's begin).
 */
export function countWrites(db: Db, opts: { filter?: (source: string) => boolean; transactions?: boolean } = {}): StatementCount {
  const filter = opts.transactions ? (s: string) => /^begin\b/i.test(s.trim()) : (opts.filter ?? (() => true));
  if (db.driver === 'sqlite') return countStatements([writerOf(db)], { filter });
  const counter: Counter = { connections: new Set(), filter, keepSources: false, count: 0, sources: [] };
  pgRunning.add(counter);
  installPg();
  return handleOf(counter, pgRunning, () => pgRestore?.());
}

const pgRunning = new Set<Counter>();
let pgRestore: (() => void) | null = null;

function installPg(): void {
  if (pgRestore) return;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '');
    for (const c of pgRunning) if (c.filter(text)) c.count++;
    return original.apply(this, args);
  };
  pgRestore = () => {
    proto.query = original;
    pgRestore = null;
  };
}
