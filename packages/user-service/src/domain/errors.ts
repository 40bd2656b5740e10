import type { FieldError } from "@instagram/kit";

export type { FieldError };

/** Input that breaks a rule; carries every field problem found, not just the first. */
export class InvalidInput extends Error {
  override readonly name = "InvalidInput";
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => `${e.path}: ${e.message}`).join("; "));
  }
}

/** No profile answers to this id or username (never created, or deleted). */
export class ProfileNotFound extends Error {
  override readonly name = "ProfileNotFound";
  constructor(readonly key: string) {
    super(`profile ${key} not found`);
  }
}

/** Following yourself is not a thing (unfollowing yourself is a harmless no-op). */
export class SelfFollow extends Error {
  override readonly name = "SelfFollow";
  constructor() {
    super("you cannot follow yourself");
  }
}

export type UserError = InvalidInput | ProfileNotFound | SelfFollow;

export function invalid(path: string, message: string): InvalidInput {
  return new InvalidInput([{ path, message }]);
}
