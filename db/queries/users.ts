import { asc, eq } from 'drizzle-orm';
import { type DbOrTx, first, only } from '../client.js';
import { users } from '../schema.js';

export type UserRow = typeof users.$inferSelect;

export async function insertUser(db: DbOrTx, values: typeof users.$inferInsert): Promise<UserRow> {
  return only(db.insert(users).values(values).returning());
}

export async function findUserByUsername(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  return first(db.select().from(users).where(eq(users.username, username)));
}

export async function getUser(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return first(db.select().from(users).where(eq(users.id, id)));
}

export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.id));
}
