import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, pageRequest, type RouteDeps } from "./context.ts";
import { imagePageJson } from "./representations.ts";
import { ImagePageSchema, jsonAnswer, PageQuerySchema, problemAnswer } from "./schemas.ts";

export function registerFeedRoutes(app: GatewayApp, deps: RouteDeps): void {
  app.openapi(
    governedRoute(deps.enforcement, "instagram.image.v1.ImageService/GetFeed", {
      operationId: "getFeed",
      method: "get",
      path: "/v1/feed",
      tags: ["Images"],
      summary: "My home feed: images by the people I follow and by me, newest first",
      description:
        "A follow shows the followee's images within a second or so; an unfollow takes them away " +
        "as quickly; a deleted image leaves every feed at once.",
      request: { query: PageQuerySchema },
      responses: {
        200: jsonAnswer(ImagePageSchema, "A page of the feed."),
        400: problemAnswer("The limit or cursor is not valid."),
      },
    }),
    async (c) => {
      const page = await deps.image.getFeed({ page: pageRequest(c.req.valid("query")) }, callOptions(c));
      return c.json(imagePageJson(page), 200);
    },
  );
}
