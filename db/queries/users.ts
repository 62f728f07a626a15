import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { users } from '../schema.js';

export type UserRow = typeof users.$inferSelect;

export function insertUser(db: DbOrTx, values: typeof users.$inferInsert): UserRow {
  return db.insert(users).values(values).returning().get();
}

export function findUserByUsername(db: DbOrTx, username: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.username, username)).get();
}

export function getUser(db: DbOrTx, id: number): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function listUsers(db: DbOrTx): UserRow[] {
  return db.select().from(users).orderBy(asc(users.id)).all();
}
