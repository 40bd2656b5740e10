import type { AccessTokenSigner, Database, Logger, LoginThrottle, Outbox } from "@instagram/kit";
import type { PasswordHasher } from "../domain/password-hasher.ts";

/** What the auth use cases need; service.ts builds it (the testbed through it). */
export interface AuthDeps {
  db: Database;
  hasher: PasswordHasher;
  signer: AccessTokenSigner;
  outbox: Outbox;
  throttle: LoginThrottle;
  refreshTokenTtlSeconds: number;
  logger: Logger;
  now: () => Date;
}
