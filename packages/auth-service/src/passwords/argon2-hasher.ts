import { hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "../domain/password-hasher.ts";

/** argon2id with OWASP's minimum (19 MiB, 2 passes); the cost is recorded in each hash. */
export interface Argon2Cost {
  memoryCost: number; // KiB
  timeCost: number;
  parallelism: number;
}

export const defaultArgon2Cost: Argon2Cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Cheap parameters for tests only: hashes stay argon2id, just fast. */
export const testArgon2Cost: Argon2Cost = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export function createArgon2Hasher(cost: Argon2Cost = defaultArgon2Cost): PasswordHasher {
  return {
    // @node-rs/argon2 defaults to argon2id (its Algorithm const enum cannot be imported here).
    hash: (password) => hash(password, cost),
    async verify(hashed, password) {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
  };
}
