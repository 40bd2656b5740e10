import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { CommentService } from "@instagram/contracts/comment";
import { bearerOf, callerClaimsOf, encodeCursor, requireCaller, resolvePage } from "@instagram/kit";
import { createComment, deleteComment, listComments } from "../comments.ts";
import type { CommentDeps } from "../deps.ts";
import { commentKeyOf, cursorPartsOf } from "../domain/comment-page.ts";
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
        const page = resolvePage(req.page, 2);
        const result = await listComments(deps, {
          imageId: req.imageId,
          limit: page.limit,
          after: page.after === undefined ? undefined : commentKeyOf(page.after),
          authorization: authorizationOf(ctx),
        });
        return {
          comments: result.items.map(commentMessageOf),
          nextCursor: result.nextKey === undefined ? "" : encodeCursor(cursorPartsOf(result.nextKey)),
        };
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
