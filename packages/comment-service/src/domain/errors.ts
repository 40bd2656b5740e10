import type { FieldError } from "@instagram/kit";

export type CommentErrorKind =
  | "invalid-input"
  | "image-not-found"
  | "comment-not-found"
  | "forbidden"
  | "account-gone"
  | "images-unavailable";

/** What the comment rules refuse; the RPC layer maps each kind to its Connect code. */
export class CommentError extends Error {
  override readonly name = "CommentError";
  constructor(
    readonly kind: CommentErrorKind,
    message: string,
    readonly problems: FieldError[] = [],
  ) {
    super(message);
  }
}

export const imageNotFound = (): CommentError => new CommentError("image-not-found", "image not found");
export const commentNotFound = (): CommentError => new CommentError("comment-not-found", "comment not found");
