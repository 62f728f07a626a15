// A one-off data migration: the free text stored before phone numbers were masked at input (comments,
// case notes, decision reasons) is masked in place, so that a number typed into it no longer outlives
// the phone erasure. It runs as a periodic job until it has walked every row once, then marks itself
// done in job_runs. Masking is idempotent: a run cut short (a restart) simply starts again.
import type { Db } from '../../db/client.js';
import { markMigrationDone, migrationDone, rewriteText, STORED_TEXT, type StoredText, textsAfter } from '../../db/queries/stored-text.js';
import { cleanText } from './clean-text.js';
import type { Clock } from './clock.js';
import { redactPhones } from './redact.js';

export const MASK_STORED_TEXT = 'migration.maskStoredText.v1';
const BATCH = 1000;

/** Masks every stored free text once; answers how many rows it changed (0 once done). */
export async function maskStoredText(db: Db, clock: Clock): Promise<number> {
  if (await migrationDone(db, MASK_STORED_TEXT)) return 0;
  let changed = 0;
  for (const which of Object.keys(STORED_TEXT) as StoredText[]) {
    for (let after = 0; ; ) {
      const batch = await textsAfter(db, which, after, BATCH);
      if (batch.length === 0) break;
      after = batch.at(-1)!.id;
      const rewrites = batch.flatMap((r) => {
        const text = redactPhones(cleanText(r.text));
        return text === r.text ? [] : [{ id: r.id, text }];
      });
      if (rewrites.length > 0) {
        await db.transaction(async (tx) => {
          for (const r of rewrites) await rewriteText(tx, which, r.id, r.text);
        });
        changed += rewrites.length;
      }
    }
  }
  await db.transaction((tx) => markMigrationDone(tx, MASK_STORED_TEXT, clock.now()));
  return changed;
}
