/** A problem with one field of the request, named as in the REST body. */
export interface FieldProblem {
  path: string;
  message: string;
}

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
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }
}

export const imageNotFound = (): CommentError => new CommentError("image-not-found", "image not found");
export const commentNotFound = (): CommentError => new CommentError("comment-not-found", "comment not found");
