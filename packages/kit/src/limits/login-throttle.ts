import { createSlidingWindow } from "./sliding-window.ts";

export interface LoginLimits {
  /** Failed logins per account name within the window. */
  account: { maxFailures: number; windowSeconds: number };
  /** Login attempts (failed or not) per client address within the window; none when absent. */
  client?: { maxAttempts: number; windowSeconds: number };
  /** How many names (and clients) are tracked at most; past it the oldest are forgotten. */
  maxTrackedKeys?: number;
}

export type LoginAdmission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/**
 * Blunts password guessing: one account cannot be guessed at quickly from many addresses, nor many
 * accounts from one address. In memory, per process: with several instances the effective limit is
 * a multiple of this one, which still blunts guessing.
 */
export interface LoginThrottle {
  /** Decides whether a login may go ahead; an admitted attempt counts against the client. */
  admit(attempt: { loginName: string; client?: string | undefined }): LoginAdmission;
  recordFailure(loginName: string): void;
  recordSuccess(loginName: string): void;
}

/** The account a login names: usernames and emails are case-insensitive. */
export function accountKey(loginName: string): string {
  return loginName.trim().toLowerCase();
}

export function createLoginThrottle(limits: LoginLimits, now: () => number = Date.now): LoginThrottle {
  const maxKeys = limits.maxTrackedKeys;
  const failuresByAccount = createSlidingWindow({
    limit: limits.account.maxFailures,
    windowSeconds: limits.account.windowSeconds,
    now,
    maxKeys,
  });
  const attemptsByClient =
    limits.client &&
    createSlidingWindow({
      limit: limits.client.maxAttempts,
      windowSeconds: limits.client.windowSeconds,
      now,
      maxKeys,
    });

  return {
    admit({ loginName, client }) {
      const accountWait = failuresByAccount.retryAfterSeconds(accountKey(loginName));
      const clientWait = client === undefined ? 0 : (attemptsByClient?.retryAfterSeconds(client) ?? 0);
      const wait = Math.max(accountWait, clientWait);
      if (wait > 0) return { admitted: false, retryAfterSeconds: wait };
      if (client !== undefined) attemptsByClient?.record(client);
      return { admitted: true };
    },
    recordFailure(loginName) {
      failuresByAccount.record(accountKey(loginName));
    },
    recordSuccess(loginName) {
      failuresByAccount.forget(accountKey(loginName));
    },
  };
}
