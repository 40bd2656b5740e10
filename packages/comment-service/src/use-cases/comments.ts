import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  IDEMPOTENCY_KEY_RETENTION_MS,
  idempotencyKeyReused,
  inTransaction,
  isUniqueViolation,
  isUuid,
  type ListPage,
  type ListPosition,
  newId,
  type Outbox,
} from "@instagram/kit";
import { lockLivingAuthor, rememberAuthor } from "../db/authors.ts";
import {
  type CommentView,
  deleteComment as deleteCommentRow,
  findCommentByKey,
  findCommentOnImage,
  forgetKeyBefore,
  insertComment,
  listImageComments,
} from "../db/comments.ts";
import { imageState } from "../db/known-images.ts";
import { readCommentText } from "../domain/comment-text.ts";
import { mayDeleteComment } from "../domain/deletion-rights.ts";
import { accountGone, commentNotFound, imageNotFound, notYoursToDelete } from "../domain/errors.ts";
import { ensureImageKnown, type KnownImageDeps, lockLivingImage } from "./known-image.ts";

/** What the comment use cases need; service.ts builds it, the testbed through it. */
export interface CommentDeps extends KnownImageDeps {
  outbox: Outbox;
}

/** Who is asking: the verified caller of the RPC. */
export interface Commenter {
  id: string;
  /** The `username` claim of their access token, if any (until users.CREATED names them). */
  username: string;
  /** Their Authorization header, forwarded to image-service when it is asked. */
  authorization: string | undefined;
}

/**
 * Writes a comment on a living image and publishes comments.CREATED (key = image id). With an
 * idempotency key, a retry (same author, key, image and text) within the retention returns the
 * comment the first call made; the same key with another request is a conflict.
 */
export async function createComment(
  deps: CommentDeps,
  input: { imageId: string; text: string; author: Commenter; idempotencyKey?: string | undefined },
): Promise<CommentView> {
  try {
    return await writeComment(deps, input);
  } catch (error) {
    // A concurrent call with the same key committed first: this one now finds its comment.
    if (input.idempotencyKey !== undefined && isUniqueViolation(error)) return writeComment(deps, input);
    throw error;
  }
}

async function writeComment(
  deps: CommentDeps,
  input: { imageId: string; text: string; author: Commenter; idempotencyKey?: string | undefined },
): Promise<CommentView> {
  const { text, hashtags, mentions } = readCommentText(input.text);
  const { imageId, author } = input;
  const idempotencyKey = input.idempotencyKey ?? null;
  if (!isUuid(author.id)) throw accountGone();
  await ensureImageKnown(deps, imageId, author.authorization);
  return inTransaction(deps.db, async (tx) => {
    // Author first, then image: the cascades take these locks in the same order.
    const living = await lockLivingAuthor(tx, author.id, author.username);
    if (living === undefined) throw accountGone();
    if (living.username === "" && author.username !== "") {
      await rememberAuthor(tx, author.id, author.username); // named by the token until users.CREATED
    }
    await lockLivingImage(tx, imageId);
    const now = deps.now();
    if (idempotencyKey !== null) {
      await forgetKeyBefore(
        tx,
        author.id,
        idempotencyKey,
        new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS),
      );
      const earlier = await findCommentByKey(tx, author.id, idempotencyKey);
      if (earlier !== undefined) {
        if (earlier.imageId !== imageId || earlier.text !== text) throw idempotencyKeyReused();
        return earlier;
      }
    }
    const row = {
      id: newId(),
      imageId,
      authorId: author.id,
      text,
      hashtags,
      mentions,
      createdAt: now,
      idempotencyKey,
    };
    await insertComment(tx, row);
    await deps.outbox.publish(tx, {
      topic: "comments",
      type: "CREATED",
      aggregateId: imageId,
      payload: {
        commentId: row.id,
        imageId,
        authorId: author.id,
        createdAt: timestampFromDate(row.createdAt),
      },
    });
    const { idempotencyKey: _key, ...comment } = row;
    return { ...comment, authorUsername: living.username || author.username };
  });
}

/** An image's comments, oldest first, one keyset page at a time. */
export async function listComments(
  deps: CommentDeps,
  input: {
    imageId: string;
    limit: number;
    after: ListPosition | undefined;
    authorization: string | undefined;
  },
): Promise<ListPage<CommentView>> {
  await ensureImageKnown(deps, input.imageId, input.authorization);
  return listImageComments(deps.db, input);
}

/**
 * Deletes a comment, if the caller wrote it or owns the image, and publishes comments.DELETED.
 * Comments only exist on images the read model knows, so an unknown image is a 404 without asking
 * image-service.
 */
export async function deleteComment(
  deps: CommentDeps,
  input: { imageId: string; commentId: string; callerId: string },
): Promise<void> {
  const { imageId, commentId, callerId } = input;
  if (!isUuid(imageId)) throw imageNotFound();
  if (!isUuid(commentId)) throw commentNotFound();
  await inTransaction(deps.db, async (tx) => {
    const image = await imageState(tx, imageId);
    if (image === undefined || image.deleted) throw imageNotFound();
    const comment = await findCommentOnImage(tx, imageId, commentId);
    if (comment === undefined) throw commentNotFound();
    if (!mayDeleteComment({ callerId, authorId: comment.authorId, imageOwnerId: comment.imageOwnerId })) {
      throw notYoursToDelete();
    }
    const removed = await deleteCommentRow(tx, commentId);
    if (removed === undefined) throw commentNotFound(); // removed meanwhile by a cascade
    await deps.outbox.publish(tx, {
      topic: "comments",
      type: "DELETED",
      aggregateId: removed.imageId,
      payload: { commentId: removed.id, imageId: removed.imageId, authorId: removed.authorId },
    });
  });
}
