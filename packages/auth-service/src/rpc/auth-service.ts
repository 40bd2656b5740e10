import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@instagram/contracts/auth";
import { callerClaimsOf, requireCaller } from "@instagram/kit";
import { createAccounts } from "../accounts.ts";
import type { AccountRow } from "../db/schema/index.ts";
import type { AuthDeps } from "../deps.ts";
import { createSessions, SESSION_CLAIM } from "../sessions.ts";
import { toConnectError } from "./errors.ts";

function accountMessage(account: AccountRow) {
  return {
    id: account.id,
    username: account.username,
    email: account.email,
    createdAt: timestampFromDate(account.createdAt),
  };
}

export function createAuthServiceImpl(deps: AuthDeps): ServiceImpl<typeof AuthService> {
  const accounts = createAccounts(deps);
  const sessions = createSessions(deps);

  async function guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toConnectError(error, deps.logger);
    }
  }

  /** The session the caller's access token belongs to, if it names one. */
  function callerSessionId(ctx: HandlerContext): string | undefined {
    const sid = callerClaimsOf(ctx)?.[SESSION_CLAIM];
    return typeof sid === "string" ? sid : undefined;
  }

  return {
    signUp: (req) =>
      guard(async () => ({
        account: accountMessage(
          await accounts.signUp({ username: req.username, email: req.email, password: req.password }),
        ),
      })),

    login: (req) =>
      guard(async () => {
        const { accountId, tokens } = await sessions.login({
          username: req.username,
          password: req.password,
        });
        return { accountId, tokens };
      }),

    refresh: (req) => guard(async () => ({ tokens: await sessions.refresh(req.refreshToken) })),

    logout: (req, ctx) =>
      guard(async () => {
        await sessions.logout(requireCaller(ctx), req.refreshToken);
        return {};
      }),

    getAccount: (_req, ctx) =>
      guard(async () => ({ account: accountMessage(await accounts.get(requireCaller(ctx))) })),

    changePassword: (req, ctx) =>
      guard(async () => {
        const caller = requireCaller(ctx);
        await accounts.changePassword(
          caller,
          { currentPassword: req.currentPassword, newPassword: req.newPassword },
          { refreshToken: req.refreshToken, sessionId: callerSessionId(ctx) },
        );
        return {};
      }),

    deleteAccount: (req, ctx) =>
      guard(async () => {
        await accounts.delete(requireCaller(ctx), req.password);
        return {};
      }),

    getJwks: () => guard(async () => ({ jwksJson: JSON.stringify(deps.signer.jwks()) })),
  };
}
