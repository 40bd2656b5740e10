import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { CommentService } from "@instagram/contracts/comment";
import { bearerOf, callerClaimsOf, listCursor, requireCaller, resolveListPage } from "@instagram/kit";
import { createComment, deleteComment, listComments } from "../comments.ts";
import type { CommentDeps } from "../deps.ts";
import { commentMessageOf } from "./comment-message.ts";
import { answering } from "./errors.ts";

function authorizationOf(ctx: HandlerContext): string | undefined {
  const token = bearerOf(ctx);
  return token === undefined ? undefined : `Bearer ${token}`;
}

/** Thin: who is calling, what page, then the use case; errors mapped in `answering`. */
export function createCommentServiceImpl(deps: CommentDeps): ServiceImpl<typeof CommentService> {
  const { logger } = deps;
  return {
    createComment: (req, ctx) =>
      answering(logger, async () => {
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
        });
        return { comment: commentMessageOf(view) };
      }),

    listComments: (req, ctx) =>
      answering(logger, async () => {
        const result = await listComments(deps, {
          imageId: req.imageId,
          ...resolveListPage(req.page),
          authorization: authorizationOf(ctx),
        });
        return { comments: result.items.map(commentMessageOf), nextCursor: listCursor(result.next) };
      }),

    deleteComment: (req, ctx) =>
      answering(logger, async () => {
        await deleteComment(deps, {
          imageId: req.imageId,
          commentId: req.commentId,
          callerId: requireCaller(ctx),
        });
        return {};
      }),
  };
}
