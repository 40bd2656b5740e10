import { createSlidingWindow } from "./sliding-window.ts";

export interface LoginLimits {
  /** Failed logins per account name within the window. */
  account: { maxFailures: number; windowSeconds: number };
  /** Login attempts (failed or not) per client address within the window. */
  client: { maxAttempts: number; windowSeconds: number };
}

export type LoginAdmission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/**
 * Blunts password guessing at the edge: one account cannot be guessed at quickly from many
 * addresses, nor many accounts from one address. In memory, per gateway instance.
 */
export interface LoginThrottle {
  /** Decides whether a login may go ahead; an admitted attempt counts against the client. */
  admit(attempt: { loginName: string; client: string | undefined }): LoginAdmission;
  recordFailure(loginName: string): void;
  recordSuccess(loginName: string): void;
}

/** The account a login names: usernames and emails are case-insensitive. */
export function accountKey(loginName: string): string {
  return loginName.trim().toLowerCase();
}

export function createLoginThrottle(limits: LoginLimits, now: () => number = Date.now): LoginThrottle {
  const failuresByAccount = createSlidingWindow({
    limit: limits.account.maxFailures,
    windowSeconds: limits.account.windowSeconds,
    now,
  });
  const attemptsByClient = createSlidingWindow({
    limit: limits.client.maxAttempts,
    windowSeconds: limits.client.windowSeconds,
    now,
  });

  return {
    admit({ loginName, client }) {
      const accountWait = failuresByAccount.retryAfterSeconds(accountKey(loginName));
      const clientWait = client === undefined ? 0 : attemptsByClient.retryAfterSeconds(client);
      const wait = Math.max(accountWait, clientWait);
      if (wait > 0) return { admitted: false, retryAfterSeconds: wait };
      if (client !== undefined) attemptsByClient.record(client);
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
