// The data-access shape (docs/architecture.md): `db.transaction(async (tx) => …)` awaits its callback
// before committing, on every driver; writes happen only inside transactions; reads outside one never
// see another transaction's uncommitted work.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { insertOrgUnit } from '../../db/queries/org.js';
import { orgUnits } from '../../db/schema.js';
import { driverUnderTest, T0 } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t } = useTestWorld({ world: false });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unitCount = async () => (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM org_units`))!.n;
const unit = (name: string) => ({ kind: 'city' as const, name, parentId: null, createdAt: T0 });

/** A transaction that inserts an org unit, then stays open until `release()`; `first` is its commit. */
function holdInsertOpen(name: string) {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  const first = t.db.transaction(async (tx) => {
    await insertOrgUnit(tx, unit(name));
    await held;
  });
  return { first, release };
}

describe('transactions work the same whatever the callback awaits', () => {
  it('commits only after the awaited work ran, even across a timer', async () => {
    await t.db.transaction(async (tx) => {
      await insertOrgUnit(tx, unit('甲市'));
      await sleep(20);
      await insertOrgUnit(tx, unit('乙市'));
    });
    expect(await unitCount()).toBe(2);
  });

  it('rolls back everything when the callback fails after an await, and passes the error on', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await insertOrgUnit(tx, unit('甲市'));
        await sleep(20);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await unitCount()).toBe(0);
  });

  // PostgreSQL runs transactions side by side (each on its own connection, READ COMMITTED): only SQLite's
  // turns are asserted here; the read isolation holds on both.
  it.skipIf(driverUnderTest === 'pg')(
    'a read outside the transaction never sees its uncommitted rows; another transaction waits its turn',
    async () => {
      const { first, release } = holdInsertOpen('甲市');
      await sleep(10);
      expect(await unitCount()).toBe(0);
      const order: string[] = [];
      const second = t.db.transaction(async (tx) => {
        order.push(`second sees ${(await tx.select().from(orgUnits)).length}`);
        await insertOrgUnit(tx, unit('乙市'));
      });
      await sleep(10);
      expect(order).toEqual([]);
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(['second sees 1']);
      expect(await unitCount()).toBe(2);
    },
  );

  it('a savepoint that fails rolls back alone', async () => {
    await t.db.transaction(async (tx) => {
      await insertOrgUnit(tx, unit('甲市'));
      await expect(
        tx.transaction(async (sp) => {
          await insertOrgUnit(sp, unit('乙市'));
          throw new Error('only this part');
        }),
      ).rejects.toThrow('only this part');
      await insertOrgUnit(tx, unit('丙市'));
    });
    const names = (await t.db.select({ name: orgUnits.name }).from(orgUnits)).map((r) => r.name).sort();
    expect(names).toEqual(['丙市', '甲市']);
  });

  it('a read outside a transaction never sees the uncommitted rows of one in progress', async () => {
    const { first, release } = holdInsertOpen('甲市');
    await sleep(20);
    expect(await unitCount()).toBe(0);
    release();
    await first;
    expect(await unitCount()).toBe(1);
  });

  // SQLite: the reading connection is read-only. (On PostgreSQL a write outside a transaction commits
  // on its own pooled connection: it cannot slip into another transaction either.)
  it.skipIf(driverUnderTest === 'pg')('refuses a write outside a transaction instead of letting it slip into another one', async () => {
    await expect(insertOrgUnit(t.db, unit('甲市'))).rejects.toThrow();
    expect(await unitCount()).toBe(0);
  });
});
