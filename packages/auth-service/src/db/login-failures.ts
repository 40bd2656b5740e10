import type { Executor } from "@instagram/kit";
import { eq, inArray, lte, sql } from "drizzle-orm";
import { type AttemptCount, type LockoutRule, windowOpenedBefore } from "../domain/login-lockout.ts";
import { loginFailures } from "./schema/index.ts";

/**
 * Counts one login attempt against `subject` in one statement (concurrent replicas never lose a
 * count): a new window when the last one is over, else one more attempt, capped just past the
 * limit. Returns the count this attempt is judged by.
 */
export async function countLoginAttempt(
  ex: Executor,
  subject: string,
  rule: LockoutRule,
  now: Date,
): Promise<AttemptCount> {
  const over = sql`${loginFailures.windowStartedAt} <= ${windowOpenedBefore(rule, now).toISOString()}::timestamptz`;
  const [row] = await ex
    .insert(loginFailures)
    .values({ subject, attempts: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: loginFailures.subject,
      set: {
        attempts: sql`case when ${over} then 1 else least(${loginFailures.attempts} + 1, ${rule.maxFailures + 1}::integer) end`,
        windowStartedAt: sql`case when ${over} then ${now.toISOString()}::timestamptz else ${loginFailures.windowStartedAt} end`,
      },
    })
    .returning({ attempts: loginFailures.attempts, windowStartedAt: loginFailures.windowStartedAt });
  if (row === undefined) throw new Error("the login attempt was not counted");
  return row;
}

export async function clearLoginFailures(ex: Executor, subject: string): Promise<void> {
  await ex.delete(loginFailures).where(eq(loginFailures.subject, subject));
}

/** Deletes up to `limit` counts whose window opened at or before `openedBefore`; returns how many. */
export async function deleteLoginFailuresBefore(
  ex: Executor,
  openedBefore: Date,
  limit: number,
): Promise<number> {
  const rows = await ex
    .delete(loginFailures)
    .where(
      inArray(
        loginFailures.subject,
        ex
          .select({ subject: loginFailures.subject })
          .from(loginFailures)
          .where(lte(loginFailures.windowStartedAt, openedBefore))
          .limit(limit),
      ),
    )
    .returning({ subject: loginFailures.subject });
  return rows.length;
}
