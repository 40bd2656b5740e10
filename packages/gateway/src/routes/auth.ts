import { z } from "@hono/zod-openapi";
import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, type RouteDeps } from "./context.ts";
import { characters, EMAIL_MAX, PASSWORD_MAX } from "./field-rules.ts";
import { tokenPairJson } from "./representations.ts";
import { jsonAnswer, jsonBody, problemAnswer, TokenPairSchema } from "./schemas.ts";

const LoginBody = z
  .object({
    username: z
      .string()
      .min(1)
      .max(EMAIL_MAX)
      .openapi({ description: "The username or the email.", example: "alice" }),
    password: characters(1, PASSWORD_MAX),
  })
  .openapi("Login");

const RefreshTokenBody = z.object({ refreshToken: z.string().min(1) }).openapi("RefreshTokenBody");

const JwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .openapi("JsonWebKeySet", { description: "RFC 7517 JWK Set: the public keys that verify access tokens." });

export function registerAuthRoutes(app: GatewayApp, deps: RouteDeps): void {
  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/Login", {
      operationId: "login",
      method: "post",
      path: "/v1/auth/login",
      tags: ["Sessions"],
      summary: "Log in",
      request: { body: jsonBody(LoginBody) },
      responses: {
        200: jsonAnswer(TokenPairSchema, "A new session."),
        400: problemAnswer("A field is missing."),
        401: problemAnswer("Unknown user or wrong password (the same answer for both)."),
      },
    }),
    async (c) => {
      // The login limit (policy/table.ts) runs before this, on both doors.
      const { username, password } = c.req.valid("json");
      const { tokens } = await deps.auth.login({ username, password }, { signal: c.req.raw.signal });
      return c.json(tokenPairJson(tokens), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/Refresh", {
      operationId: "refreshTokens",
      method: "post",
      path: "/v1/auth/refresh",
      tags: ["Sessions"],
      summary: "Trade a refresh token for a new pair",
      description: "The old refresh token is spent; presenting a spent one revokes its whole session.",
      request: { body: jsonBody(RefreshTokenBody) },
      responses: {
        200: jsonAnswer(TokenPairSchema, "The new pair."),
        400: problemAnswer("The refresh token is missing."),
        401: problemAnswer("The refresh token is unknown, expired, spent or revoked."),
      },
    }),
    async (c) => {
      const { refreshToken } = c.req.valid("json");
      const { tokens } = await deps.auth.refresh({ refreshToken }, { signal: c.req.raw.signal });
      return c.json(tokenPairJson(tokens), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/Logout", {
      operationId: "logout",
      method: "post",
      path: "/v1/auth/logout",
      tags: ["Sessions"],
      summary: "Log out",
      request: { body: jsonBody(RefreshTokenBody) },
      responses: {
        204: { description: "The session is over." },
        400: problemAnswer("The refresh token is missing."),
      },
    }),
    async (c) => {
      const { refreshToken } = c.req.valid("json");
      await deps.auth.logout({ refreshToken }, callOptions(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/GetJwks", {
      operationId: "getJwks",
      method: "get",
      path: "/.well-known/jwks.json",
      tags: ["Sessions"],
      summary: "Keys that verify access tokens",
      responses: { 200: jsonAnswer(JwksSchema, "The JWK Set.") },
    }),
    async (c) => {
      const { jwksJson } = await deps.auth.getJwks({}, { signal: c.req.raw.signal });
      const jwks = JwksSchema.parse(JSON.parse(jwksJson));
      c.header("cache-control", "public, max-age=300");
      return c.json(jwks, 200);
    },
  );
}
