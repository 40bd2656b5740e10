import type { Profile } from "@instagram/contracts/user";
import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, pageRequest, type RouteDeps } from "./context.ts";
import { profilePageJson } from "./representations.ts";
import {
  ImageIdParamSchema,
  jsonAnswer,
  PageQuerySchema,
  ProfilePageSchema,
  problemAnswer,
} from "./schemas.ts";

export function registerLikeRoutes(app: GatewayApp, deps: RouteDeps): void {
  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/LikeImage", {
      operationId: "likeImage",
      method: "put",
      path: "/v1/images/{id}/like",
      tags: ["Likes"],
      summary: "Like an image",
      description: "Idempotent: liking an image you already like changes nothing.",
      request: { params: ImageIdParamSchema },
      responses: {
        204: { description: "The caller likes the image." },
        404: problemAnswer("No such image."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await deps.image.likeImage({ id }, callOptions(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/UnlikeImage", {
      operationId: "unlikeImage",
      method: "delete",
      path: "/v1/images/{id}/like",
      tags: ["Likes"],
      summary: "Take back a like",
      description: "Idempotent: unliking an image you do not like changes nothing.",
      request: { params: ImageIdParamSchema },
      responses: {
        204: { description: "The caller does not like the image." },
        404: problemAnswer("No such image."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await deps.image.unlikeImage({ id }, callOptions(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/ListLikers", {
      operationId: "listLikers",
      method: "get",
      path: "/v1/images/{id}/likes",
      tags: ["Likes"],
      summary: "Who likes an image, newest like first",
      request: { params: ImageIdParamSchema, query: PageQuerySchema },
      responses: {
        200: jsonAnswer(ProfilePageSchema, "A page of the profiles of those who like the image."),
        400: problemAnswer("The limit or cursor is not valid."),
        404: problemAnswer("No such image."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const options = callOptions(c);
      const likers = await deps.image.listLikers({ id, page: pageRequest(c.req.valid("query")) }, options);
      let profiles: Profile[] = [];
      if (likers.userIds.length > 0) {
        const found = await deps.user.batchGetProfiles({ ids: likers.userIds }, options);
        const byId = new Map(found.profiles.map((profile) => [profile.id, profile]));
        // In the likes' order; someone deleted since liking is simply left out.
        profiles = likers.userIds.flatMap((userId) => byId.get(userId) ?? []);
      }
      return c.json(profilePageJson({ profiles, nextCursor: likers.nextCursor }), 200);
    },
  );
}
