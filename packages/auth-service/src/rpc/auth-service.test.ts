import { fromBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { AccountCreatedSchema, AccountDeletedSchema, type TokenPair } from "@instagram/contracts/auth";
import { eventSchema } from "@instagram/contracts/events";
import { createAccessTokenVerifier, fieldErrorsOf as fieldErrors, generateSigningKey } from "@instagram/kit";
import { connectFailure as failure } from "@instagram/kit/testing";
import { and, eq } from "drizzle-orm";
import { decodeJwt, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, sessions } from "../db/schema/index.ts";
import { bearer, createTestbed, TEST_ISSUER as ISSUER, type Testbed } from "../testing/testbed.ts";

let testbed: Testbed;
let client: Testbed["client"];

beforeAll(async () => {
  testbed = await createTestbed();
  client = testbed.client;
});

afterAll(async () => {
  await testbed?.close();
});

async function signUp(username: string, password = "correct horse") {
  const { account } = await client.signUp({ username, email: `${username}@example.com`, password });
  if (!account) throw new Error("no account in SignUp response");
  return account;
}

async function login(username: string, password = "correct horse"): Promise<TokenPair> {
  const { tokens } = await client.login({ username, password });
  if (!tokens) throw new Error("no tokens in Login response");
  return tokens;
}

async function outboxRows(aggregateId: string, type: string) {
  return testbed.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.aggregateId, aggregateId), eq(outbox.type, type)));
}

describe("SignUp, Login, GetAccount", () => {
  it("creates an account, logs in and reads it back", async () => {
    const account = await signUp("Alice");
    expect(account).toMatchObject({ username: "alice", email: "alice@example.com" });
    expect(account.id).toMatch(/^[0-9a-f-]{36}$/);

    const tokens = await login("alice");
    expect(tokens.tokenType).toBe("Bearer");
    expect(tokens.expiresIn).toBeGreaterThan(0);
    expect(tokens.expiresIn).toBeLessThanOrEqual(900);
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = decodeJwt(tokens.accessToken);
    expect(claims).toMatchObject({ sub: account.id, username: "alice", iss: ISSUER });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(900);

    const { account: me } = await client.getAccount({}, bearer(tokens.accessToken));
    expect(me).toMatchObject({ id: account.id, username: "alice", email: "alice@example.com" });
    expect(me?.createdAt && timestampDate(me.createdAt).toISOString()).toBe(testbed.now().toISOString());
  });

  it("publishes accounts.CREATED with the account in the same transaction", async () => {
    const account = await signUp("carol");
    const [row, ...more] = await outboxRows(account.id, "CREATED");
    expect(more).toHaveLength(0);
    expect(row?.topic).toBe("accounts");
    expect(eventSchema("accounts", "CREATED")).toBe(AccountCreatedSchema);
    const event = fromBinary(AccountCreatedSchema, row?.payload ?? new Uint8Array());
    expect(event.accountId).toBe(account.id);
    expect(event.username).toBe("carol");
    expect(event.createdAt && timestampDate(event.createdAt).toISOString()).toBe(testbed.now().toISOString());
  });

  it("refuses bad input with every field problem in x-field-errors", async () => {
    const error = await failure(client.signUp({ username: "A!", email: "not-an-email", password: "short" }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldErrors(error).map((p) => p.path)).toEqual(["username", "email", "password"]);
    expect(fieldErrors(error)[0]?.message).toBe("must be 3 to 30 characters");
  });

  it("answers AlreadyExists for a username or email taken in any case", async () => {
    await signUp("dave");
    const byName = await failure(
      client.signUp({ username: "DAVE", email: "other@example.com", password: "correct horse" }),
    );
    expect(byName.code).toBe(Code.AlreadyExists);
    expect(fieldErrors(byName)).toEqual([{ path: "username", message: "is already taken" }]);

    const byEmail = await failure(
      client.signUp({ username: "dave2", email: "Dave@Example.COM", password: "correct horse" }),
    );
    expect(byEmail.code).toBe(Code.AlreadyExists);
    expect(fieldErrors(byEmail).map((p) => p.path)).toEqual(["email"]);
  });

  it("lets exactly one of two concurrent sign-ups for one name win", async () => {
    const results = await Promise.allSettled(
      ["race1@example.com", "race2@example.com"].map((email) =>
        client.signUp({ username: "Racer", email, password: "correct horse" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [lost] = results.flatMap((r) => (r.status === "rejected" ? [ConnectError.from(r.reason)] : []));
    expect(lost?.code).toBe(Code.AlreadyExists);
    expect(lost && fieldErrors(lost).map((p) => p.path)).toEqual(["username"]);
  });

  it("gives the same Unauthenticated answer for an unknown user and a wrong password", async () => {
    await signUp("erin");
    const unknown = await failure(client.login({ username: "nobody", password: "correct horse" }));
    const wrong = await failure(client.login({ username: "erin", password: "wrong password" }));
    expect(unknown.code).toBe(Code.Unauthenticated);
    expect(wrong.code).toBe(Code.Unauthenticated);
    expect(wrong.rawMessage).toBe(unknown.rawMessage);
  });

  it("logs in with the email address, in any case", async () => {
    const account = await signUp("frank");
    const { accountId } = await client.login({ username: "FRANK@example.com", password: "correct horse" });
    expect(accountId).toBe(account.id);
  });

  it("refuses an empty login with InvalidArgument", async () => {
    const error = await failure(client.login({ username: "", password: "" }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldErrors(error).map((p) => p.path)).toEqual(["username", "password"]);
  });

  it("locks a login name after repeated failures, even for the right password", async () => {
    await signUp("gina");
    for (let i = 0; i < testbed.maxLoginFailures; i++) {
      expect((await failure(client.login({ username: "gina", password: "wrong password" }))).code).toBe(
        Code.Unauthenticated,
      );
    }
    const locked = await failure(client.login({ username: "gina", password: "correct horse" }));
    expect(locked.code).toBe(Code.ResourceExhausted);
    // Every failure happened at the same instant: the name reopens a full window later.
    expect(locked.metadata.get("retry-after")).toBe(String(60));
    testbed.advance(61);
    expect((await login("gina")).accessToken).not.toBe("");
  });

  it("locks the account, not the typed name: failures by username refuse the right password by email", async () => {
    const account = await signUp("gwen");
    for (let i = 0; i < testbed.maxLoginFailures; i++) {
      const name = i % 2 === 0 ? "gwen" : "GWEN";
      expect((await failure(client.login({ username: name, password: "wrong password" }))).code).toBe(
        Code.Unauthenticated,
      );
    }
    for (const name of ["gwen@example.com", " Gwen@Example.com ", "gwen"]) {
      const locked = await failure(client.login({ username: name, password: "correct horse" }));
      expect(locked.code, name).toBe(Code.ResourceExhausted);
    }
    testbed.advance(61);
    const { accountId } = await client.login({ username: "gwen@example.com", password: "correct horse" });
    expect(accountId).toBe(account.id);
  });

  it("counts failures of an unknown name per normalised name, without locking real accounts", async () => {
    await signUp("hugo");
    for (let i = 0; i < testbed.maxLoginFailures; i++) {
      await failure(client.login({ username: "Nobody-Here", password: "wrong password" }));
    }
    expect((await failure(client.login({ username: "nobody-here", password: "x" }))).code).toBe(
      Code.ResourceExhausted,
    );
    expect((await login("hugo")).accessToken).not.toBe("");
  });

  it("needs an access token for GetAccount", async () => {
    expect((await failure(client.getAccount({}))).code).toBe(Code.Unauthenticated);
  });
});

describe("Refresh", () => {
  it("rotates: a new pair in the same session, the old refresh token spent", async () => {
    const account = await signUp("hank");
    const first = await login("hank");
    const { tokens: second } = await client.refresh({ refreshToken: first.refreshToken });
    expect(second?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second?.refreshToken).not.toBe(first.refreshToken);
    const claims = decodeJwt(second?.accessToken ?? "");
    expect(claims.sub).toBe(account.id);
    expect(claims.sid).toBe(decodeJwt(first.accessToken).sid);
    const { account: me } = await client.getAccount({}, bearer(second?.accessToken ?? ""));
    expect(me?.id).toBe(account.id);
  });

  it("revokes the whole session when a spent token is presented again", async () => {
    await signUp("ivan");
    const first = await login("ivan");
    const other = await login("ivan");
    const { tokens: second } = await client.refresh({ refreshToken: first.refreshToken });

    const reuse = await failure(client.refresh({ refreshToken: first.refreshToken }));
    expect(reuse.code).toBe(Code.Unauthenticated);
    // The thief's (or the owner's) newer token dies with the family.
    const after = await failure(client.refresh({ refreshToken: second?.refreshToken ?? "" }));
    expect(after.code).toBe(Code.Unauthenticated);
    // Another login of the same account is another family and lives on.
    const { tokens: otherNext } = await client.refresh({ refreshToken: other.refreshToken });
    expect(otherNext?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses an expired refresh token", async () => {
    await signUp("jane");
    const tokens = await login("jane");
    testbed.advance(testbed.refreshTokenTtlSeconds);
    expect((await failure(client.refresh({ refreshToken: tokens.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
  });

  it("refuses unknown and malformed refresh tokens, and needs one", async () => {
    expect((await failure(client.refresh({ refreshToken: "A".repeat(43) }))).code).toBe(Code.Unauthenticated);
    expect((await failure(client.refresh({ refreshToken: "short" }))).code).toBe(Code.Unauthenticated);
    const missing = await failure(client.refresh({ refreshToken: "" }));
    expect(missing.code).toBe(Code.InvalidArgument);
    expect(fieldErrors(missing).map((p) => p.path)).toEqual(["refreshToken"]);
  });
});

describe("Logout", () => {
  it("ends the caller's session: its refresh token stops working", async () => {
    await signUp("kate");
    const tokens = await login("kate");
    await client.logout({ refreshToken: tokens.refreshToken }, bearer(tokens.accessToken));
    expect((await failure(client.refresh({ refreshToken: tokens.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
    // Logging out twice is harmless.
    await client.logout({ refreshToken: tokens.refreshToken }, bearer(tokens.accessToken));
  });

  it("needs the caller's token and only ends the caller's own sessions", async () => {
    await signUp("liam");
    await signUp("mona");
    const liam = await login("liam");
    const mona = await login("mona");
    expect((await failure(client.logout({ refreshToken: liam.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
    const foreign = await failure(
      client.logout({ refreshToken: liam.refreshToken }, bearer(mona.accessToken)),
    );
    expect(foreign.code).toBe(Code.Unauthenticated);
    const { tokens } = await client.refresh({ refreshToken: liam.refreshToken });
    expect(tokens?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("ChangePassword", () => {
  it("revokes every other session and replaces the password", async () => {
    const account = await signUp("nina", "old password");
    const here = await login("nina", "old password");
    const elsewhere = await login("nina", "old password");
    await client.changePassword(
      { currentPassword: "old password", newPassword: "new password" },
      bearer(here.accessToken),
    );
    expect((await failure(client.refresh({ refreshToken: elsewhere.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
    const { tokens: kept } = await client.refresh({ refreshToken: here.refreshToken });
    expect(kept?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await failure(client.login({ username: "nina", password: "old password" }))).code).toBe(
      Code.Unauthenticated,
    );
    expect((await client.login({ username: "nina", password: "new password" })).accountId).toBe(account.id);
  });

  it("keeps the session of the refresh token it is given", async () => {
    await signUp("omar", "old password");
    const calling = await login("omar", "old password");
    const keep = await login("omar", "old password");
    await client.changePassword(
      { currentPassword: "old password", newPassword: "new password", refreshToken: keep.refreshToken },
      bearer(calling.accessToken),
    );
    expect((await failure(client.refresh({ refreshToken: calling.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
    expect((await client.refresh({ refreshToken: keep.refreshToken })).tokens?.refreshToken).toBeTruthy();
  });

  it("answers PermissionDenied for a wrong current password and changes nothing", async () => {
    await signUp("pia", "old password");
    const tokens = await login("pia", "old password");
    const error = await failure(
      client.changePassword(
        { currentPassword: "not my password", newPassword: "new password" },
        bearer(tokens.accessToken),
      ),
    );
    expect(error.code).toBe(Code.PermissionDenied);
    expect(fieldErrors(error)).toEqual([{ path: "currentPassword", message: "is wrong" }]);
    expect((await login("pia", "old password")).accessToken).toBeTruthy();
  });

  it("checks the new password and needs a caller", async () => {
    await signUp("quin", "old password");
    const tokens = await login("quin", "old password");
    const weak = await failure(
      client.changePassword(
        { currentPassword: "old password", newPassword: "short" },
        bearer(tokens.accessToken),
      ),
    );
    expect(weak.code).toBe(Code.InvalidArgument);
    expect(fieldErrors(weak).map((p) => p.path)).toEqual(["newPassword"]);
    const anonymous = await failure(
      client.changePassword({ currentPassword: "old password", newPassword: "new password" }),
    );
    expect(anonymous.code).toBe(Code.Unauthenticated);
  });
});

describe("DeleteAccount", () => {
  it("needs the caller and the right password", async () => {
    await signUp("rita");
    const tokens = await login("rita");
    expect((await failure(client.deleteAccount({ password: "correct horse" }))).code).toBe(
      Code.Unauthenticated,
    );
    const wrong = await failure(
      client.deleteAccount({ password: "wrong password" }, bearer(tokens.accessToken)),
    );
    expect(wrong.code).toBe(Code.PermissionDenied);
    expect(fieldErrors(wrong)).toEqual([{ path: "password", message: "is wrong" }]);
    const missing = await failure(client.deleteAccount({ password: "" }, bearer(tokens.accessToken)));
    expect(missing.code).toBe(Code.InvalidArgument);
    expect((await client.getAccount({}, bearer(tokens.accessToken))).account?.username).toBe("rita");
  });

  it("deletes the account and its sessions and publishes accounts.DELETED", async () => {
    const account = await signUp("sam");
    const tokens = await login("sam");
    await client.deleteAccount({ password: "correct horse" }, bearer(tokens.accessToken));

    const [row, ...more] = await outboxRows(account.id, "DELETED");
    expect(more).toHaveLength(0);
    expect(row?.topic).toBe("accounts");
    expect(eventSchema("accounts", "DELETED")).toBe(AccountDeletedSchema);
    const event = fromBinary(AccountDeletedSchema, row?.payload ?? new Uint8Array());
    expect(event).toMatchObject({ accountId: account.id, username: "sam" });

    expect(await testbed.db.select().from(sessions).where(eq(sessions.accountId, account.id))).toEqual([]);
    expect((await failure(client.refresh({ refreshToken: tokens.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
    expect((await failure(client.login({ username: "sam", password: "correct horse" }))).code).toBe(
      Code.Unauthenticated,
    );
    // The access token is still well signed, but it names nobody any more.
    expect((await failure(client.getAccount({}, bearer(tokens.accessToken)))).code).toBe(
      Code.Unauthenticated,
    );
    // The name is free again.
    expect((await signUp("sam")).id).not.toBe(account.id);
  });
});

describe("access tokens", () => {
  async function craft(
    claims: Record<string, unknown>,
    opts: { expiresAt: number; issuer?: string; jwk?: Testbed["privateJwk"] },
  ): Promise<string> {
    const jwk = opts.jwk ?? testbed.privateJwk;
    const key = await importJWK(jwk, "EdDSA");
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer(opts.issuer ?? ISSUER)
      .setIssuedAt(opts.expiresAt - 900)
      .setExpirationTime(opts.expiresAt)
      .sign(key);
  }

  it("refuses expired, tampered, foreign and wrong-issuer tokens with Unauthenticated", async () => {
    const account = await signUp("tara");
    const { accessToken } = await login("tara");
    const now = Math.floor(Date.now() / 1000);
    const valid = await craft({ sub: account.id }, { expiresAt: now + 60 });
    expect((await client.getAccount({}, bearer(valid))).account?.id).toBe(account.id);

    const [head, body, signature] = accessToken.split(".");
    const forgedBody = btoa(JSON.stringify({ ...decodeJwt(accessToken), sub: "someone-else" }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    const flipped = `${signature?.[0] === "A" ? "B" : "A"}${signature?.slice(1)}`;
    const refused = [
      await craft({ sub: account.id }, { expiresAt: now - 60 }),
      `${head}.${forgedBody}.${signature}`,
      `${head}.${body}.${flipped}`,
      await craft({ sub: account.id }, { expiresAt: now + 60, jwk: await generateSigningKey() }),
      await craft({ sub: account.id }, { expiresAt: now + 60, issuer: "someone-else" }),
      "not-a-jwt",
    ];
    for (const token of refused) {
      expect((await failure(client.getAccount({}, bearer(token)))).code).toBe(Code.Unauthenticated);
    }
  });

  it("are verifiable with the published JWKS, which holds no private key", async () => {
    const account = await signUp("uma");
    const { accessToken } = await login("uma");
    const { jwksJson } = await client.getJwks({});
    const jwks = JSON.parse(jwksJson);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    const verifier = createAccessTokenVerifier({ issuer: ISSUER, jwks });
    const { subject, claims } = await verifier.verify(accessToken);
    expect(subject).toBe(account.id);
    expect(claims.username).toBe("uma");
  });
});
