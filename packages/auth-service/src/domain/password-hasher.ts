/** Slow, salted password hashing; the implementation lives at the rim (argon2id). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password; never throws for a well-formed hash. */
  verify(hash: string, password: string): Promise<boolean>;
}
