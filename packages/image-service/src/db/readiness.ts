import type { Database } from "@instagram/kit";
import { sql } from "drizzle-orm";

/** Fails unless the database answers a trivial query (for /readyz). */
export async function checkDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
