import { z } from "@hono/zod-openapi";
import { governedRoute } from "../policy/rest.ts";
import { callOptions, type GatewayApp, type RouteDeps } from "./context.ts";
import { email, password, username } from "./field-rules.ts";
import { accountJson } from "./representations.ts";
import { AccountSchema, jsonAnswer, jsonBody, problemAnswer } from "./schemas.ts";

const SignUpBody = z
  .object({
    username: username().openapi({
      description: "3–30 characters of a–z, 0–9, `.` and `_` (stored lower-case).",
    }),
    email: email(),
    password: password().openapi({ description: "8–128 characters.", example: "correct horse battery" }),
  })
  .openapi("SignUp");

const ChangePasswordBody = z
  .object({
    currentPassword: z.string().min(1),
    newPassword: password().openapi({ description: "8–128 characters." }),
    refreshToken: z
      .string()
      .optional()
      .openapi({ description: "The session to keep signed in; every other session is revoked." }),
  })
  .openapi("ChangePassword");

const DeleteAccountBody = z.object({ password: z.string().min(1) }).openapi("DeleteAccount");

export function registerAccountRoutes(app: GatewayApp, deps: RouteDeps): void {
  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/SignUp", {
      operationId: "signUp",
      method: "post",
      path: "/v1/accounts",
      tags: ["Accounts"],
      summary: "Sign up",
      request: { body: jsonBody(SignUpBody) },
      responses: {
        201: jsonAnswer(AccountSchema, "The new account."),
        400: problemAnswer("A field is missing or breaks a rule."),
        409: problemAnswer("The username or the email is taken."),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { account } = await deps.auth.signUp(body, { signal: c.req.raw.signal });
      return c.json(accountJson(account), 201);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/GetAccount", {
      operationId: "getMyAccount",
      method: "get",
      path: "/v1/accounts/me",
      tags: ["Accounts"],
      summary: "The caller's account",
      responses: { 200: jsonAnswer(AccountSchema, "The caller's account.") },
    }),
    async (c) => {
      const { account } = await deps.auth.getAccount({}, callOptions(c));
      return c.json(accountJson(account), 200);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/ChangePassword", {
      operationId: "changePassword",
      method: "put",
      path: "/v1/accounts/me/password",
      tags: ["Accounts"],
      summary: "Change the password",
      description: "Every other session of the account is revoked.",
      request: { body: jsonBody(ChangePasswordBody) },
      responses: {
        204: { description: "Changed." },
        400: problemAnswer("The new password breaks a rule."),
        403: problemAnswer("The current password is wrong."),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      await deps.auth.changePassword(
        {
          currentPassword: body.currentPassword,
          newPassword: body.newPassword,
          refreshToken: body.refreshToken ?? "",
        },
        callOptions(c),
      );
      return c.body(null, 204);
    },
  );

  app.openapi(
    governedRoute(deps.enforcement, "instagram.auth.v1.AuthService/DeleteAccount", {
      operationId: "deleteMyAccount",
      method: "delete",
      path: "/v1/accounts/me",
      tags: ["Accounts"],
      summary: "Delete the account",
      description: "Everything the user owns disappears from every service.",
      request: { body: jsonBody(DeleteAccountBody) },
      responses: {
        204: { description: "Deleted." },
        400: problemAnswer("The password is missing."),
        403: problemAnswer("The password is wrong."),
      },
    }),
    async (c) => {
      const { password } = c.req.valid("json");
      await deps.auth.deleteAccount({ password }, callOptions(c));
      return c.body(null, 204);
    },
  );
}
