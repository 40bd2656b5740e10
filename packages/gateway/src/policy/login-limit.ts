import type { LoginThrottle } from "@instagram/kit";

/** How a login ended, as far as the throttle cares. */
export type LoginOutcome = "succeeded" | "refused" | "other";

/**
 * The login rate limit as both doors apply it: a REST login and a relayed Connect Login count
 * against the same client address and the same account name.
 */
export interface LoginLimit {
  /** Seconds to wait when this attempt is over the limit; undefined when it may go ahead (and counts). */
  admit(loginName: string, client: string | undefined): number | undefined;
  settle(loginName: string, outcome: LoginOutcome): void;
}

export function loginLimitOf(throttle: LoginThrottle): LoginLimit {
  return {
    admit(loginName, client) {
      const admission = throttle.admit({ loginName, client });
      return admission.admitted ? undefined : admission.retryAfterSeconds;
    },
    settle(loginName, outcome) {
      if (outcome === "succeeded") throttle.recordSuccess(loginName);
      else if (outcome === "refused") throttle.recordFailure(loginName);
    },
  };
}

export const tooManyLogins = "Too many login attempts; try again later.";
