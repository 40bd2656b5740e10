import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Comment, CommentSchema } from "@instagram/contracts/comment";
import type { CommentView } from "../db/comments.ts";

export function commentMessageOf(view: CommentView): Comment {
  return create(CommentSchema, {
    id: view.id,
    imageId: view.imageId,
    author: { id: view.authorId, username: view.authorUsername },
    text: view.text,
    hashtags: view.hashtags,
    mentions: view.mentions,
    createdAt: timestampFromDate(view.createdAt),
  });
}
