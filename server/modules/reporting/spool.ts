// The spool of upward reporting on SQLite (delivery.ts): the bodies of the batch being POSTed, written
// to a file beside the database just before the POST, until the batch's outcome is written to the
// outbox. A record is composed once; if the process is killed after its POST and before its outcome,
// the restart sends it again from here, the very same body under the same recordId, even if a name or
// code it was composed of changed meanwhile. The file survives a kill -9 (the operating system holds it);
// a power cut may lose it, as it may lose SQLite's last commits (synchronous = NORMAL).
import { readFileSync, writeFileSync } from 'node:fs';

/** What ties a spooled body to its outbox row: a reused id (a database made anew) never matches. */
export interface SpoolKey {
  outboxId: number;
  ratingId: number;
  /** The rating's creation time (ms). */
  createdAt: number;
}

const keyOf = (k: SpoolKey) => `${k.outboxId}:${k.ratingId}:${k.createdAt}`;

/** The spool at `file` (null: none, e.g. an in-memory database or PostgreSQL, whose claim stores each body first). */
export function createSpool(file: string | null) {
  /** The file's bodies as found at the first look (after a restart: the batch that was in flight). */
  let found: Map<string, string> | null = null;
  /** The batch written last by this process (its outcome may have failed to be written: sent again as is). */
  let current = new Map<string, string>();

  function read(path: string): Map<string, string> {
    const out = new Map<string, string>();
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return out;
    }
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 1) continue;
      const body = line.slice(tab + 1);
      try {
        JSON.parse(body);
      } catch {
        // A line that is not a whole record is never sent: the record is composed again.
        continue;
      }
      out.set(line.slice(0, tab), body);
    }
    return out;
  }

  return {
    /** The body spooled for this row before a restart, once (null: none). */
    take(key: SpoolKey): string | null {
      if (!file) return null;
      found ??= read(file);
      const k = keyOf(key);
      const body = current.get(k) ?? found.get(k);
      if (body === undefined) return null;
      current.delete(k);
      found.delete(k);
      return body;
    },

    /** Keeps the bodies about to be POSTed that the outbox does not hold (replacing the batch before). */
    write(records: ReadonlyArray<SpoolKey & { body: string; stored: boolean }>): void {
      if (!file) return;
      found ??= read(file);
      current = new Map(records.filter((r) => !r.stored).map((r) => [keyOf(r), r.body]));
      writeFileSync(file, [...current].map(([k, body]) => `${k}\t${body}`).join('\n'), { mode: 0o600 });
    },
  };
}
