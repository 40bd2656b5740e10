import type { AccessTokenSigner, Database, Logger, Outbox } from "@instagram/kit";
import type { LoginThrottle } from "./domain/login-throttle.ts";
import type { PasswordHasher } from "./domain/password-hasher.ts";

/** What the auth use cases and RPCs need; service.ts builds it, tests build their own. */
export interface AuthDeps {
  db: Database;
  hasher: PasswordHasher;
  signer: AccessTokenSigner;
  outbox: Outbox;
  throttle: LoginThrottle;
  refreshTokenTtlSeconds: number;
  logger: Logger;
  now: () => Date;
  /** Called after a transaction that published events commits (kicks the outbox relay). */
  onPublished?: () => void;
}
