import { DomainError } from "./domain-error.ts";

/** not-found for one kind of thing, in one wording: notFound("image") is "image not found", reason "image-not-found". */
export function notFound(thing: string): DomainError {
  return new DomainError("not-found", `${thing} not found`, { reason: `${thing}-not-found` });
}
