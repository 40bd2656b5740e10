import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@instagram/contracts/auth";
import { type AccessTokenSigner, callerClaimsOf, requireCaller } from "@instagram/kit";
import type { AccountRow } from "../db/schema/index.ts";
import type { Accounts } from "../use-cases/accounts.ts";
import { SESSION_CLAIM, type Sessions } from "../use-cases/sessions.ts";

function accountMessage(account: AccountRow) {
  return {
    id: account.id,
    username: account.username,
    email: account.email,
    createdAt: timestampFromDate(account.createdAt),
  };
}

/** The session the caller's access token belongs to, if it names one. */
function callerSessionId(ctx: HandlerContext): string | undefined {
  const sid = callerClaimsOf(ctx)?.[SESSION_CLAIM];
  return typeof sid === "string" ? sid : undefined;
}

/** Thin: who is calling, then the use case; the kit maps the refusals. */
export function createAuthServiceImpl(opts: {
  accounts: Accounts;
  sessions: Sessions;
  signer: AccessTokenSigner;
}): ServiceImpl<typeof AuthService> {
  const { accounts, sessions, signer } = opts;
  return {
    async signUp(req) {
      const account = await accounts.signUp({
        username: req.username,
        email: req.email,
        password: req.password,
      });
      return { account: accountMessage(account) };
    },

    async login(req) {
      return sessions.login({ username: req.username, password: req.password });
    },

    async refresh(req) {
      return { tokens: await sessions.refresh(req.refreshToken) };
    },

    async logout(req, ctx) {
      await sessions.logout(requireCaller(ctx), req.refreshToken);
      return {};
    },

    async getAccount(_req, ctx) {
      return { account: accountMessage(await accounts.get(requireCaller(ctx))) };
    },

    async changePassword(req, ctx) {
      await accounts.changePassword(
        requireCaller(ctx),
        { currentPassword: req.currentPassword, newPassword: req.newPassword },
        { refreshToken: req.refreshToken, sessionId: callerSessionId(ctx) },
      );
      return {};
    },

    async deleteAccount(req, ctx) {
      await accounts.delete(requireCaller(ctx), req.password, callerSessionId(ctx));
      return {};
    },

    async getJwks() {
      return { jwksJson: JSON.stringify(signer.jwks()) };
    },

    async listRevokedSessions(req) {
      const since = req.revokedAfter === undefined ? new Date(0) : timestampDate(req.revokedAfter);
      const revoked = await sessions.revokedSince(since);
      return {
        sessions: revoked.map((s) => ({ sessionId: s.sessionId, revokedAt: timestampFromDate(s.revokedAt) })),
      };
    },
  };
}
