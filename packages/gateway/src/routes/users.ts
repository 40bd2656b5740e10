import { z } from "@hono/zod-openapi";
import { USERNAME_MAX_LENGTH } from "@instagram/contracts/text-entities";
import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, pageRequest, type RouteDeps } from "./context.ts";
import {
  BIO_MAX,
  characters,
  DISPLAY_NAME_MAX,
  NO_CONTROL,
  NO_CONTROL_BUT_LINE_BREAKS,
} from "./field-rules.ts";
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
    displayName: characters(0, DISPLAY_NAME_MAX)
      .regex(new RegExp(NO_CONTROL), "must not contain control characters")
      .optional()
      .openapi({
        description: `At most ${DISPLAY_NAME_MAX} characters, no control characters; "" clears it.`,
      }),
    bio: characters(0, BIO_MAX)
      .regex(new RegExp(NO_CONTROL_BUT_LINE_BREAKS), "must not contain control characters")
      .optional()
      .openapi({ description: `At most ${BIO_MAX} characters, line breaks allowed; "" clears it.` }),
  })
  .openapi("UpdateProfile");

const USERNAME_PREFIX_PATTERN = `^[A-Za-z0-9._]{1,${USERNAME_MAX_LENGTH}}$`;

const SearchQuerySchema = PageQuerySchema.extend({
  query: z
    .string()
    .regex(
      new RegExp(USERNAME_PREFIX_PATTERN),
      `must be 1 to ${USERNAME_MAX_LENGTH} of a–z, 0–9, '.' and '_'`,
    )
    .openapi({
      param: { name: "query", in: "query" },
      description: "Username prefix (any case).",
      example: "ali",
      minLength: 1,
      maxLength: USERNAME_MAX_LENGTH,
    }),
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
