import { z } from "@hono/zod-openapi";
import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, pageRequest, type RouteDeps } from "./context.ts";
import { profileJson, profilePageJson } from "./representations.ts";
import {
  jsonAnswer,
  jsonBody,
  PageQuerySchema,
  ProfilePageSchema,
  ProfileSchema,
  problemAnswer,
  UsernameParamSchema,
} from "./schemas.ts";

const UpdateProfileBody = z
  .object({
    displayName: z.string().optional(),
    bio: z.string().optional(),
  })
  .openapi("UpdateProfile");

const SearchQuerySchema = PageQuerySchema.extend({
  query: z
    .string()
    .openapi({ param: { name: "query", in: "query" }, description: "Username prefix.", example: "ali" }),
});

export function registerUserRoutes(app: GatewayApp, deps: RouteDeps): void {
  // Registered before /v1/users/{username} so that `me` is never taken for a username.
  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/GetProfile", {
      operationId: "getMyProfile",
      method: "get",
      path: "/v1/users/me",
      tags: ["Users"],
      summary: "The caller's profile",
      responses: { 200: jsonAnswer(ProfileSchema, "The caller's profile.") },
    }),
    async (c) => {
      const { profile } = await deps.user.getProfile({ key: { case: "me", value: true } }, callOptions(c));
      return c.json(profileJson(profile), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/UpdateProfile", {
      operationId: "updateMyProfile",
      method: "patch",
      path: "/v1/users/me",
      tags: ["Users"],
      summary: "Edit the caller's profile",
      request: { body: jsonBody(UpdateProfileBody) },
      responses: {
        200: jsonAnswer(ProfileSchema, "The updated profile."),
        400: problemAnswer("A field breaks a rule."),
      },
    }),
    async (c) => {
      const { displayName, bio } = c.req.valid("json");
      const { profile } = await deps.user.updateProfile({ displayName, bio }, callOptions(c));
      return c.json(profileJson(profile), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/GetProfile", {
      operationId: "getProfile",
      method: "get",
      path: "/v1/users/{username}",
      tags: ["Users"],
      summary: "A profile",
      request: { params: UsernameParamSchema },
      responses: {
        200: jsonAnswer(ProfileSchema, "The profile."),
        404: problemAnswer("No such user."),
      },
    }),
    async (c) => {
      const { username } = c.req.valid("param");
      const { profile } = await deps.user.getProfile(
        { key: { case: "username", value: username } },
        callOptions(c),
      );
      return c.json(profileJson(profile), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.user.v1.UserService/SearchProfiles", {
      operationId: "searchProfiles",
      method: "get",
      path: "/v1/users",
      tags: ["Users"],
      summary: "Find users by username prefix",
      request: { query: SearchQuerySchema },
      responses: {
        200: jsonAnswer(ProfilePageSchema, "A page of profiles whose username starts with the query."),
        400: problemAnswer("The query, limit or cursor is not valid."),
      },
    }),
    async (c) => {
      const { query } = c.req.valid("query");
      const page = await deps.user.searchProfiles(
        { query, page: pageRequest(c.req.valid("query")) },
        callOptions(c),
      );
      return c.json(profilePageJson(page), 200);
    },
  );
}
