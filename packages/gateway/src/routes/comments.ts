import { z } from "@hono/zod-openapi";
import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, pageRequest, type RouteDeps } from "./context.ts";
import { COMMENT_MAX, characters } from "./field-rules.ts";
import { IdempotencyHeadersSchema } from "./idempotency-key.ts";
import { commentJson, commentPageJson } from "./representations.ts";
import {
  CommentPageSchema,
  CommentSchema,
  ImageIdParamSchema,
  jsonAnswer,
  jsonBody,
  PageQuerySchema,
  problemAnswer,
} from "./schemas.ts";

const NewCommentBody = z
  .object({
    text: characters(1, COMMENT_MAX).openapi({
      description: "1–1000 characters; #hashtags and @mentions are read from it.",
      example: "Lovely light, @bob #sunset",
    }),
  })
  .openapi("NewComment");

const CommentParamSchema = ImageIdParamSchema.extend({
  commentId: z
    .string()
    .min(1)
    .openapi({ param: { name: "commentId", in: "path" }, example: "0192f0a5-1c2d-7e3f-8456-789abcdef012" }),
});

export function registerCommentRoutes(app: GatewayApp, deps: RouteDeps): void {
  app.openapi(
    governedRoute(deps.enforcement, "instagram.comment.v1.CommentService/CreateComment", {
      operationId: "createComment",
      method: "post",
      path: "/v1/images/{id}/comments",
      tags: ["Comments"],
      summary: "Comment on an image",
      request: {
        params: ImageIdParamSchema,
        headers: IdempotencyHeadersSchema,
        body: jsonBody(NewCommentBody),
      },
      responses: {
        201: jsonAnswer(
          CommentSchema,
          "The new comment (or, for a retry with the same Idempotency-Key, the first one).",
        ),
        400: problemAnswer(
          "The text is empty or longer than 1000 characters, or the Idempotency-Key is malformed.",
        ),
        404: problemAnswer("No such image."),
        409: problemAnswer("The Idempotency-Key was used for another request."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { text } = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const options = callOptions(c);
      if (key !== undefined) options.headers = { ...options.headers, "idempotency-key": key };
      const { comment } = await deps.comment.createComment({ imageId: id, text }, options);
      return c.json(commentJson(comment), 201);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.comment.v1.CommentService/ListComments", {
      operationId: "listComments",
      method: "get",
      path: "/v1/images/{id}/comments",
      tags: ["Comments"],
      summary: "An image's comments, oldest first",
      request: { params: ImageIdParamSchema, query: PageQuerySchema },
      responses: {
        200: jsonAnswer(CommentPageSchema, "A page of comments."),
        400: problemAnswer("The limit or cursor is not valid."),
        404: problemAnswer("No such image."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const page = await deps.comment.listComments(
        { imageId: id, page: pageRequest(c.req.valid("query")) },
        callOptions(c),
      );
      return c.json(commentPageJson(page), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.comment.v1.CommentService/DeleteComment", {
      operationId: "deleteComment",
      method: "delete",
      path: "/v1/images/{id}/comments/{commentId}",
      tags: ["Comments"],
      summary: "Delete a comment",
      description: "Its author or the image's owner may.",
      request: { params: CommentParamSchema },
      responses: {
        204: { description: "Deleted." },
        403: problemAnswer("Neither the comment's author nor the image's owner."),
        404: problemAnswer("No such image or comment."),
      },
    }),
    async (c) => {
      const { id, commentId } = c.req.valid("param");
      await deps.comment.deleteComment({ imageId: id, commentId }, callOptions(c));
      return c.body(null, 204);
    },
  );
}
