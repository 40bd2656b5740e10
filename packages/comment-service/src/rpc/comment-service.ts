import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { CommentService } from "@instagram/contracts/comment";
import {
  bearerOf,
  callerClaimsOf,
  IDEMPOTENCY_KEY_HEADER,
  listCursor,
  readIdempotencyKey,
  requireCaller,
  resolveListPage,
} from "@instagram/kit";
import { type CommentDeps, createComment, deleteComment, listComments } from "../use-cases/comments.ts";
import { commentMessageOf } from "./comment-message.ts";

function authorizationOf(ctx: HandlerContext): string | undefined {
  const token = bearerOf(ctx);
  return token === undefined ? undefined : `Bearer ${token}`;
}

/** Thin: who is calling, what page, then the use case; the kit maps the errors. */
export function createCommentServiceImpl(deps: CommentDeps): ServiceImpl<typeof CommentService> {
  return {
    async createComment(req, ctx) {
      const callerId = requireCaller(ctx);
      const username = callerClaimsOf(ctx)?.username;
      const view = await createComment(deps, {
        imageId: req.imageId,
        text: req.text,
        author: {
          id: callerId,
          username: typeof username === "string" ? username : "",
          authorization: authorizationOf(ctx),
        },
        idempotencyKey: readIdempotencyKey(ctx.requestHeader.get(IDEMPOTENCY_KEY_HEADER)),
      });
      return { comment: commentMessageOf(view) };
    },

    async listComments(req, ctx) {
      const result = await listComments(deps, {
        imageId: req.imageId,
        ...resolveListPage(req.page),
        authorization: authorizationOf(ctx),
      });
      return { comments: result.items.map(commentMessageOf), nextCursor: listCursor(result.next) };
    },

    async deleteComment(req, ctx) {
      await deleteComment(deps, {
        imageId: req.imageId,
        commentId: req.commentId,
        callerId: requireCaller(ctx),
      });
      return {};
    },
  };
}
