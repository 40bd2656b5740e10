import type { FieldError } from "@instagram/kit";

/** A problem with one input field, as the gateway reports it: `{ path, message }`. */
export type FieldProblem = FieldError;

export type AuthErrorKind =
  | "invalid_input"
  | "username_taken"
  | "email_taken"
  | "invalid_credentials"
  | "too_many_login_attempts"
  | "wrong_password"
  | "account_not_found"
  | "unknown_refresh_token"
  | "refresh_token_expired"
  | "refresh_token_reused"
  | "session_revoked";

/** Every rule the auth domain can refuse; the RPC layer maps `kind` to a Connect code. */
export abstract class AuthError extends Error {
  abstract readonly kind: AuthErrorKind;
  /** Field problems to report with the error (empty when the error is not about a field). */
  readonly problems: FieldProblem[];

  constructor(message: string, problems: FieldProblem[] = []) {
    super(message);
    this.name = new.target.name;
    this.problems = problems;
  }
}

export class InvalidInput extends AuthError {
  readonly kind = "invalid_input";
  constructor(problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "), problems);
  }
}

export class UsernameTaken extends AuthError {
  readonly kind = "username_taken";
  constructor() {
    super("username is already taken", [{ path: "username", message: "is already taken" }]);
  }
}

export class EmailTaken extends AuthError {
  readonly kind = "email_taken";
  constructor() {
    super("email is already registered", [{ path: "email", message: "is already registered" }]);
  }
}

/** Unknown user or wrong password: deliberately the same error for both. */
export class InvalidCredentials extends AuthError {
  readonly kind = "invalid_credentials";
  constructor() {
    super("invalid username or password");
  }
}

export class TooManyLoginAttempts extends AuthError {
  readonly kind = "too_many_login_attempts";
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed login attempts; retry in ${retryAfterSeconds} s`);
  }
}

/** The signed-in user confirmed an action with a password that is not theirs. */
export class WrongPassword extends AuthError {
  readonly kind = "wrong_password";
  constructor(path: string) {
    super("the password is wrong", [{ path, message: "is wrong" }]);
  }
}

export class AccountNotFound extends AuthError {
  readonly kind = "account_not_found";
  constructor() {
    super("the account does not exist");
  }
}

export class UnknownRefreshToken extends AuthError {
  readonly kind = "unknown_refresh_token";
  constructor() {
    super("the refresh token is not valid");
  }
}

export class RefreshTokenExpired extends AuthError {
  readonly kind = "refresh_token_expired";
  constructor() {
    super("the refresh token has expired");
  }
}

/** A spent refresh token came back: whoever holds the family may be an attacker. */
export class RefreshTokenReused extends AuthError {
  readonly kind = "refresh_token_reused";
  constructor() {
    super("the refresh token was already used; the session is revoked");
  }
}

export class SessionRevoked extends AuthError {
  readonly kind = "session_revoked";
  constructor() {
    super("the session has been revoked");
  }
}
