import { DomainError, notFound } from "@instagram/kit";

/** No profile answers to this id or username (never created, or deleted). */
export const profileNotFound = (): DomainError => notFound("profile");

const SELF_FOLLOW = "you cannot follow yourself";

/** Following yourself is not a thing (unfollowing yourself is a harmless no-op). */
export const selfFollow = (): DomainError =>
  new DomainError("invalid-input", SELF_FOLLOW, {
    fieldErrors: [{ path: "username", message: SELF_FOLLOW }],
    reason: "self-follow",
  });
