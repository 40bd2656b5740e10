import type { AccessTokenSigner, Database, Logger, Outbox } from "@instagram/kit";
import type { LockoutRule } from "../domain/login-lockout.ts";
import type { PasswordHasher } from "../domain/password-hasher.ts";

/** What the auth use cases need; service.ts builds it (the testbed through it). */
export interface AuthDeps {
  db: Database;
  hasher: PasswordHasher;
  signer: AccessTokenSigner;
  outbox: Outbox;
  /** Failed logins per account before its logins are refused for the rest of the window. */
  lockout: LockoutRule;
  refreshTokenTtlSeconds: number;
  logger: Logger;
  now: () => Date;
}
