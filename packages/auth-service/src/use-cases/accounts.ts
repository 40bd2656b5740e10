import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { isUniqueViolation, newId } from "@instagram/kit";
import {
  deleteAccount,
  findAccountByEmail,
  findAccountById,
  findAccountByUsername,
  insertAccount,
  updatePasswordHash,
} from "../db/accounts.ts";
import { findRefreshToken } from "../db/refresh-tokens.ts";
import type { AccountRow } from "../db/schema/index.ts";
import { isSessionLive, revokeOtherSessions } from "../db/sessions.ts";
import {
  type NewAccount,
  type PasswordChange,
  parsePasswordChange,
  parseSignUp,
  requireValue,
} from "../domain/credentials.ts";
import {
  AccountNotFound,
  EmailTaken,
  SessionRevoked,
  UsernameTaken,
  WrongPassword,
} from "../domain/errors.ts";
import { hashRefreshToken, isWellFormedRefreshToken } from "../domain/refresh-token.ts";
import type { AuthDeps } from "./deps.ts";

export interface Accounts {
  signUp(input: NewAccount): Promise<AccountRow>;
  get(accountId: string): Promise<AccountRow>;
  /** Keeps the session of `keep` (a refresh token or a session id the caller owns); revokes every other. */
  changePassword(
    accountId: string,
    change: PasswordChange,
    keep: { refreshToken?: string; sessionId?: string },
  ): Promise<void>;
  /** `sessionId`: the caller's session (its token's sid), checked live here, not only in the token. */
  delete(accountId: string, password: string, sessionId: string | undefined): Promise<void>;
}

export function createAccounts(deps: AuthDeps): Accounts {
  const { db, hasher, outbox } = deps;

  async function existing(accountId: string): Promise<AccountRow> {
    const account = await findAccountById(db, accountId);
    if (account === undefined) throw new AccountNotFound();
    return account;
  }

  async function confirmPassword(account: AccountRow, password: string, path: string): Promise<void> {
    if (!(await hasher.verify(account.passwordHash, password))) throw new WrongPassword(path);
  }

  // Sensitive operations ask the database, not the token: a session revoked a moment ago is over.
  async function requireLiveSession(accountId: string, sessionId: string | undefined): Promise<void> {
    if (sessionId === undefined || !(await isSessionLive(db, sessionId, accountId)))
      throw new SessionRevoked();
  }

  async function sessionToKeep(
    accountId: string,
    keep: { refreshToken?: string; sessionId?: string },
  ): Promise<string | undefined> {
    if (keep.refreshToken && isWellFormedRefreshToken(keep.refreshToken)) {
      const token = await findRefreshToken(db, await hashRefreshToken(keep.refreshToken));
      if (token?.accountId === accountId) return token.sessionId;
    }
    return keep.sessionId;
  }

  return {
    async signUp(input) {
      const account = parseSignUp(input);
      const passwordHash = await hasher.hash(account.password);
      try {
        const row = await db.transaction(async (tx) => {
          if (await findAccountByUsername(tx, account.username)) throw new UsernameTaken();
          if (await findAccountByEmail(tx, account.email)) throw new EmailTaken();
          const inserted = await insertAccount(tx, {
            id: newId(),
            username: account.username,
            email: account.email,
            passwordHash,
            createdAt: deps.now(),
          });
          await outbox.publish(tx, {
            topic: "accounts",
            type: "CREATED",
            aggregateId: inserted.id,
            payload: {
              accountId: inserted.id,
              username: inserted.username,
              createdAt: timestampFromDate(inserted.createdAt),
            },
          });
          return inserted;
        });
        return row;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A concurrent sign-up won the race between our check and our insert.
        throw (await findAccountByUsername(db, account.username)) ? new UsernameTaken() : new EmailTaken();
      }
    },

    get: existing,

    async changePassword(accountId, input, keep) {
      const change = parsePasswordChange(input);
      const account = await existing(accountId);
      await requireLiveSession(accountId, keep.sessionId);
      await confirmPassword(account, change.currentPassword, "currentPassword");
      const passwordHash = await hasher.hash(change.newPassword);
      const keepSessionId = await sessionToKeep(accountId, keep);
      await db.transaction(async (tx) => {
        if (!(await updatePasswordHash(tx, accountId, passwordHash))) throw new AccountNotFound();
        await revokeOtherSessions(tx, accountId, keepSessionId, deps.now());
      });
    },

    async delete(accountId, input, sessionId) {
      const password = requireValue("password", input);
      await requireLiveSession(accountId, sessionId);
      await confirmPassword(await existing(accountId), password, "password");
      await db.transaction(async (tx) => {
        const deleted = await deleteAccount(tx, accountId);
        if (deleted === undefined) throw new AccountNotFound();
        await outbox.publish(tx, {
          topic: "accounts",
          type: "DELETED",
          aggregateId: deleted.id,
          payload: { accountId: deleted.id, username: deleted.username },
        });
      });
    },
  };
}
