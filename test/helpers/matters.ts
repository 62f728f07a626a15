// A 办件 as a business system leaves it: stored with its rollups (as the matters module stores one),
// finished by default, with a one-time rating link valid for 7 days after 办结.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { RollupBatch, writeRollups } from '../../db/queries/rollups.js';
import { matters } from '../../db/schema.js';
import { chinaDay } from '../../shared/china-time.js';
import type { MatterStatus } from '../../shared/domain.js';
import { T0 } from './app.js';

let seq = 0;

export async function makeMatter(
  db: Db,
  over: {
    codeId: string;
    departmentId: number;
    projectNo?: string;
    status?: MatterStatus;
    taskCode?: string;
    taskName?: string;
    staffName?: string | null;
    acceptedAt?: number;
    finishedAt?: number;
    linkValidMs?: number;
  },
) {
  const status = over.status ?? 'finished';
  const finishedAt = status === 'finished' ? (over.finishedAt ?? T0) : null;
  const finishedDay = finishedAt === null ? null : chinaDay(finishedAt);
  const row = {
    projectNo: over.projectNo ?? `TEST-${Date.now()}-${++seq}`,
    codeId: over.codeId,
    departmentId: over.departmentId,
    taskCode: over.taskCode ?? '11410000MB0000000X4000111111000',
    taskName: over.taskName ?? '个体工商户设立登记',
    staffName: over.staffName === undefined ? '张敏' : over.staffName,
    applicantType: 'person' as const,
    status,
    acceptedAt: over.acceptedAt ?? (finishedAt ?? T0) - 3600_000,
    finishedAt,
    finishedDay,
    linkToken: finishedAt === null ? null : randomBytes(24).toString('base64url'),
    linkExpiresAt: finishedAt === null ? null : finishedAt + (over.linkValidMs ?? 7 * 86_400_000),
    createdAt: T0,
    updatedAt: T0,
  };
  return db.transaction(async (tx) => {
    const [m] = await tx.insert(matters).values(row).returning();
    const batch = new RollupBatch();
    batch.countMatter(null, row);
    if (finishedDay !== null) {
      batch.addMatterFinished({
        codeId: row.codeId,
        departmentId: row.departmentId,
        finishedDay,
        taskCode: row.taskCode,
        taskName: row.taskName,
        staffName: row.staffName ?? '',
      });
    }
    await writeRollups(tx, batch);
    return m!;
  });
}
