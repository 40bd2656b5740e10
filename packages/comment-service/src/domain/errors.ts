import { DomainError, notFound } from "@instagram/kit";

// What the comment rules refuse, as the kit's DomainError (the kit maps each kind to its code).

export const imageNotFound = (): DomainError => notFound("image");

export const commentNotFound = (): DomainError => notFound("comment");

/** A valid token whose account is gone: the caller is no longer anyone. */
export const accountGone = (): DomainError =>
  new DomainError("unauthenticated", "the caller's account no longer exists", { reason: "account-gone" });

export const notYoursToDelete = (): DomainError =>
  new DomainError("forbidden", "only the comment's author or the image's owner may delete it", {
    reason: "not-author-or-image-owner",
  });

/** image-service did not say in time whether an image the read model does not know exists. */
export const imagesUnavailable = (cause: unknown): DomainError =>
  new DomainError("unavailable", "cannot tell whether the image exists right now; try again", {
    reason: "images-unavailable",
    cause,
  });
