import type { Executor } from "@instagram/kit";
import { eq, sql } from "drizzle-orm";
import { type AccountRow, accounts } from "./schema/index.ts";

export async function insertAccount(
  ex: Executor,
  account: { id: string; username: string; email: string; passwordHash: string; createdAt: Date },
): Promise<AccountRow> {
  const [row] = await ex.insert(accounts).values(account).returning();
  if (row === undefined) throw new Error("insert into auth.accounts returned no row");
  return row;
}

export async function findAccountById(ex: Executor, id: string): Promise<AccountRow | undefined> {
  const [row] = await ex.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

export async function findAccountByUsername(ex: Executor, username: string): Promise<AccountRow | undefined> {
  const [row] = await ex.select().from(accounts).where(sql`lower(${accounts.username}) = lower(${username})`);
  return row;
}

export async function findAccountByEmail(ex: Executor, email: string): Promise<AccountRow | undefined> {
  const [row] = await ex.select().from(accounts).where(sql`lower(${accounts.email}) = lower(${email})`);
  return row;
}

export async function updatePasswordHash(ex: Executor, id: string, passwordHash: string): Promise<boolean> {
  const rows = await ex
    .update(accounts)
    .set({ passwordHash })
    .where(eq(accounts.id, id))
    .returning({ id: accounts.id });
  return rows.length > 0;
}

/** Deletes the account; its sessions and refresh tokens go with it (foreign keys cascade). */
export async function deleteAccount(ex: Executor, id: string): Promise<AccountRow | undefined> {
  const [row] = await ex.delete(accounts).where(eq(accounts.id, id)).returning();
  return row;
}
