import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, pageRequest, type RouteDeps } from "./context.ts";
import { profilePageJson } from "./representations.ts";
import {
  jsonAnswer,
  PageQuerySchema,
  ProfilePageSchema,
  problemAnswer,
  UsernameParamSchema,
} from "./schemas.ts";

export function registerFollowRoutes(app: GatewayApp, deps: RouteDeps): void {
  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/Follow", {
      operationId: "follow",
      method: "put",
      path: "/v1/users/{username}/follow",
      tags: ["Follows"],
      summary: "Follow a user",
      description: "Idempotent: following someone you already follow changes nothing.",
      request: { params: UsernameParamSchema },
      responses: {
        204: { description: "The caller follows the user." },
        400: problemAnswer("You cannot follow yourself."),
        404: problemAnswer("No such user."),
      },
    }),
    async (c) => {
      const { username } = c.req.valid("param");
      await deps.user.follow({ username }, callOptions(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/Unfollow", {
      operationId: "unfollow",
      method: "delete",
      path: "/v1/users/{username}/follow",
      tags: ["Follows"],
      summary: "Unfollow a user",
      description: "Idempotent: unfollowing someone you do not follow changes nothing.",
      request: { params: UsernameParamSchema },
      responses: {
        204: { description: "The caller does not follow the user." },
        404: problemAnswer("No such user."),
      },
    }),
    async (c) => {
      const { username } = c.req.valid("param");
      await deps.user.unfollow({ username }, callOptions(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/ListFollowers", {
      operationId: "listFollowers",
      method: "get",
      path: "/v1/users/{username}/followers",
      tags: ["Follows"],
      summary: "Who follows a user",
      request: { params: UsernameParamSchema, query: PageQuerySchema },
      responses: {
        200: jsonAnswer(ProfilePageSchema, "A page of the user's followers."),
        400: problemAnswer("The limit or cursor is not valid."),
        404: problemAnswer("No such user."),
      },
    }),
    async (c) => {
      const { username } = c.req.valid("param");
      const page = await deps.user.listFollowers(
        { username, page: pageRequest(c.req.valid("query")) },
        callOptions(c),
      );
      return c.json(profilePageJson(page), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/ListFollowing", {
      operationId: "listFollowing",
      method: "get",
      path: "/v1/users/{username}/following",
      tags: ["Follows"],
      summary: "Whom a user follows",
      request: { params: UsernameParamSchema, query: PageQuerySchema },
      responses: {
        200: jsonAnswer(ProfilePageSchema, "A page of the accounts the user follows."),
        400: problemAnswer("The limit or cursor is not valid."),
        404: problemAnswer("No such user."),
      },
    }),
    async (c) => {
      const { username } = c.req.valid("param");
      const page = await deps.user.listFollowing(
        { username, page: pageRequest(c.req.valid("query")) },
        callOptions(c),
      );
      return c.json(profilePageJson(page), 200);
    },
  );
}
