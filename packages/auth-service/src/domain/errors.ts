import { DomainError } from "@instagram/kit";

// auth-service's refusals. The kit maps each kind to its Connect code (and, at the gateway, its
// HTTP status); `reason` names the refusal for tests and logs.

export class UsernameTaken extends DomainError {
  constructor() {
    super("conflict", "username is already taken", {
      reason: "username-taken",
      fieldErrors: [{ path: "username", message: "is already taken" }],
    });
  }
}

export class EmailTaken extends DomainError {
  constructor() {
    super("conflict", "email is already registered", {
      reason: "email-taken",
      fieldErrors: [{ path: "email", message: "is already registered" }],
    });
  }
}

/** Unknown user or wrong password: deliberately the same error for both. */
export class InvalidCredentials extends DomainError {
  constructor() {
    super("unauthenticated", "invalid username or password", { reason: "invalid-credentials" });
  }
}

export class TooManyLoginAttempts extends DomainError {
  constructor(retryAfterSeconds: number) {
    super("too-many-requests", `too many failed login attempts; retry in ${retryAfterSeconds} s`, {
      reason: "too-many-login-attempts",
      retryAfterSeconds,
    });
  }
}

/** The signed-in user confirmed an action with a password that is not theirs. */
export class WrongPassword extends DomainError {
  constructor(path: string) {
    super("forbidden", "the password is wrong", {
      reason: "wrong-password",
      fieldErrors: [{ path, message: "is wrong" }],
    });
  }
}

/** A valid token whose account is gone: the caller is no longer anyone. */
export class AccountNotFound extends DomainError {
  constructor() {
    super("unauthenticated", "the account does not exist", { reason: "account-not-found" });
  }
}

export class UnknownRefreshToken extends DomainError {
  constructor() {
    super("unauthenticated", "the refresh token is not valid", { reason: "unknown-refresh-token" });
  }
}

export class RefreshTokenExpired extends DomainError {
  constructor() {
    super("unauthenticated", "the refresh token has expired", { reason: "refresh-token-expired" });
  }
}

/** A spent refresh token came back: whoever holds the family may be an attacker. */
export class RefreshTokenReused extends DomainError {
  constructor() {
    super("unauthenticated", "the refresh token was already used; the session is revoked", {
      reason: "refresh-token-reused",
    });
  }
}

export class SessionRevoked extends DomainError {
  constructor() {
    super("unauthenticated", "the session has been revoked", { reason: "session-revoked" });
  }
}
