/**
 * The login lockout: at most `maxFailures` failed logins per account within a window that opens
 * at the first failure; past them every login of the account, right password or not, is refused
 * until the window closes. A success clears the count.
 */
export interface LockoutRule {
  maxFailures: number;
  windowSeconds: number;
}

/** The attempts counted in the account's current window, this one included. */
export interface AttemptCount {
  attempts: number;
  windowStartedAt: Date;
}

export type LoginAdmission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** A window that opened at or before this instant is over: the next attempt opens a new one. */
export function windowOpenedBefore(rule: LockoutRule, now: Date): Date {
  return new Date(now.getTime() - rule.windowSeconds * 1000);
}

export function judgeLoginAttempt(count: AttemptCount, rule: LockoutRule, now: Date): LoginAdmission {
  if (count.attempts <= rule.maxFailures) return { admitted: true };
  const closesAt = count.windowStartedAt.getTime() + rule.windowSeconds * 1000;
  return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((closesAt - now.getTime()) / 1000)) };
}

/** What failures are counted under: the account whatever name was typed, else the name itself. */
export async function lockoutSubjectOf(
  account: { id: string } | undefined,
  normalisedName: string,
): Promise<string> {
  if (account !== undefined) return `account:${account.id}`;
  // Hashed: people type passwords into the name field, and these rows outlive the request.
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normalisedName)),
  );
  return `name:${Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
