import { type CallOptions, Code, ConnectError } from "@connectrpc/connect";
import { z } from "@hono/zod-openapi";
import { HASHTAG_MAX_LENGTH } from "@instagram/contracts/text-entities";
import type { Profile } from "@instagram/contracts/user";
import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, pageRequest, type RouteDeps } from "./context.ts";
import { imageJson, imagePageJson } from "./representations.ts";
import {
  ImageIdParamSchema,
  ImagePageSchema,
  ImageSchema,
  jsonAnswer,
  PageQuerySchema,
  problemAnswer,
  UsernameParamSchema,
} from "./schemas.ts";

const TAG = new RegExp(`^[\\p{L}\\p{N}_]{1,${HASHTAG_MAX_LENGTH}}$`, "u");

const TagParamSchema = z.object({
  tag: z
    .string()
    .refine((tag) => TAG.test(tag.normalize("NFC")), "must be 1–100 letters, digits or underscores")
    .openapi({
      param: { name: "tag", in: "path" },
      minLength: 1,
      maxLength: HASHTAG_MAX_LENGTH,
      description: "Without `#`; any case; 1–100 letters, digits or underscores.",
      example: "sunset",
    }),
});

/** The user's profile, or the NotFound that becomes the 404 of the lists keyed by username. */
async function existingProfile(deps: RouteDeps, username: string, options: CallOptions): Promise<Profile> {
  const { profile } = await deps.user.getProfile({ key: { case: "username", value: username } }, options);
  if (!profile) throw new Error("service response lacks profile");
  return profile;
}

export function registerImageRoutes(app: GatewayApp, deps: RouteDeps): void {
  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/GetImage", {
      operationId: "getImage",
      method: "get",
      path: "/v1/images/{id}",
      tags: ["Images"],
      summary: "An image",
      request: { params: ImageIdParamSchema },
      responses: {
        200: jsonAnswer(ImageSchema, "The image."),
        404: problemAnswer("No such image."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { image } = await deps.image.getImage({ id }, callOptions(c));
      return c.json(imageJson(image), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/DeleteImage", {
      operationId: "deleteImage",
      method: "delete",
      path: "/v1/images/{id}",
      tags: ["Images"],
      summary: "Delete an image",
      description: "Only its owner may; its likes, comments and files go with it.",
      request: { params: ImageIdParamSchema },
      responses: {
        204: { description: "Deleted." },
        403: problemAnswer("The image is someone else's."),
        404: problemAnswer("No such image."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await deps.image.deleteImage({ id }, callOptions(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/ListUserImages", {
      operationId: "listUserImages",
      method: "get",
      path: "/v1/users/{username}/images",
      tags: ["Images"],
      summary: "A user's images, newest first",
      request: { params: UsernameParamSchema, query: PageQuerySchema },
      responses: {
        200: jsonAnswer(ImagePageSchema, "A page of the user's images."),
        400: problemAnswer("The limit or cursor is not valid."),
        404: problemAnswer("No such user."),
      },
    }),
    async (c) => {
      const { username } = c.req.valid("param");
      const options = callOptions(c);
      const page = pageRequest(c.req.valid("query"));
      // One hop: image-service resolves the name in its own read model of users. A name it has
      // not heard of yet may still be a user: user-service says who exists, then by id.
      const listed = await deps.image
        .listUserImages({ userId: username, page }, options)
        .catch(async (error) => {
          if (ConnectError.from(error).code !== Code.NotFound) throw error;
          const profile = await existingProfile(deps, username, options);
          return deps.image.listUserImages({ userId: profile.id, page }, options);
        });
      return c.json(imagePageJson(listed), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/ListTagImages", {
      operationId: "listTagImages",
      method: "get",
      path: "/v1/tags/{tag}/images",
      tags: ["Images"],
      summary: "Images whose caption has #tag, newest first",
      description: "The tag matches in any case.",
      request: { params: TagParamSchema, query: PageQuerySchema },
      responses: {
        200: jsonAnswer(ImagePageSchema, "A page of images with the tag."),
        400: problemAnswer("The tag, limit or cursor is not valid."),
      },
    }),
    async (c) => {
      const { tag } = c.req.valid("param");
      const page = await deps.image.listTagImages(
        { tag, page: pageRequest(c.req.valid("query")) },
        callOptions(c),
      );
      return c.json(imagePageJson(page), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/ListMentionImages", {
      operationId: "listMentionImages",
      method: "get",
      path: "/v1/users/{username}/mentions",
      tags: ["Images"],
      summary: "Images whose caption mentions @username, newest first",
      request: { params: UsernameParamSchema, query: PageQuerySchema },
      responses: {
        200: jsonAnswer(ImagePageSchema, "A page of images mentioning the user."),
        400: problemAnswer("The limit or cursor is not valid."),
        404: problemAnswer("No such user."),
      },
    }),
    async (c) => {
      const { username } = c.req.valid("param");
      const options = callOptions(c);
      // image-service answers an unknown name with an empty page; the contract wants a 404.
      const profile = await existingProfile(deps, username, options);
      const page = await deps.image.listMentionImages(
        { username: profile.username, page: pageRequest(c.req.valid("query")) },
        options,
      );
      return c.json(imagePageJson(page), 200);
    },
  );
}
