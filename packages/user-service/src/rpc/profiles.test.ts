import { Code } from "@connectrpc/connect";
import { fieldErrorsOf } from "@instagram/kit";
import { createTestTokens, connectFailure as failure } from "@instagram/kit/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

let testbed: Testbed;
beforeAll(async () => {
  testbed = await createTestbed();
});
beforeEach(async () => {
  await testbed.reset();
});
afterAll(async () => {
  await testbed?.close();
});

describe("GetProfile", () => {
  it("finds a new account's profile by id, by username (any case) and as me", async () => {
    const ada = await testbed.signUp("ada.l");
    const anonymous = testbed.client();
    const byId = (await anonymous.getProfile({ key: { case: "id", value: ada.id } })).profile!;
    expect(byId).toMatchObject({
      id: ada.id,
      username: "ada.l",
      displayName: "",
      bio: "",
      followersCount: 0n,
      followingCount: 0n,
      imagesCount: 0n,
      followedByMe: false,
    });
    expect(byId.createdAt).toBeDefined();
    const byName = (await anonymous.getProfile({ key: { case: "username", value: "ADA.L" } })).profile!;
    expect(byName.id).toBe(ada.id);
    const me = (await ada.client.getProfile({ key: { case: "me", value: true } })).profile!;
    expect(me.id).toBe(ada.id);
  });

  it("marks followedByMe for the caller only, by username and by id", async () => {
    const ada = await testbed.signUp("ada");
    const bob = await testbed.signUp("bob");
    await ada.client.follow({ username: "bob" });
    const seenBy = async (client: typeof ada.client) => [
      (await client.getProfile({ key: { case: "username", value: "Bob" } })).profile?.followedByMe,
      (await client.getProfile({ key: { case: "id", value: bob.id } })).profile?.followedByMe,
    ];
    expect(await seenBy(ada.client)).toEqual([true, true]);
    expect(await seenBy(bob.client)).toEqual([false, false]);
    expect(await seenBy(testbed.client())).toEqual([false, false]);
    expect((await bob.client.getProfile({ key: { case: "me", value: true } })).profile).toMatchObject({
      followersCount: 1n,
      followedByMe: false,
    });
  });

  it("answers NotFound for unknown users and malformed ids, InvalidArgument for illegal usernames", async () => {
    const anonymous = testbed.client();
    expect((await failure(anonymous.getProfile({ key: { case: "username", value: "nobody" } }))).code).toBe(
      Code.NotFound,
    );
    const unknownId = "0192f0a4-8b1c-7def-8123-456789abcdef";
    expect((await failure(anonymous.getProfile({ key: { case: "id", value: unknownId } }))).code).toBe(
      Code.NotFound,
    );
    expect((await failure(anonymous.getProfile({ key: { case: "id", value: "1; drop" } }))).code).toBe(
      Code.NotFound,
    );
    const illegal = await failure(anonymous.getProfile({ key: { case: "username", value: "bad name!" } }));
    expect(illegal.code).toBe(Code.InvalidArgument);
    expect(fieldErrorsOf(illegal).map((e) => e.path)).toEqual(["username"]);
    expect((await failure(anonymous.getProfile({}))).code).toBe(Code.InvalidArgument);
  });

  it("me needs a caller, and a caller whose profile is not there yet gets NotFound", async () => {
    expect((await failure(testbed.client().getProfile({ key: { case: "me", value: true } }))).code).toBe(
      Code.Unauthenticated,
    );
    const early = testbed.client("0192f0a4-8b1c-7def-8123-456789abcdef");
    expect((await failure(early.getProfile({ key: { case: "me", value: true } }))).code).toBe(Code.NotFound);
  });

  it("rejects a forged or malformed token", async () => {
    const ada = await testbed.signUp("ada");
    // A token for ada signed by a key this service does not trust.
    const foreign = await createTestTokens();
    for (const header of [await foreign.authorizationFor(ada.id), "Bearer not.a.jwt", "Basic abc"]) {
      const error = await failure(
        testbed.clientWithAuthorization(header).getProfile({ key: { case: "username", value: "ada" } }),
      );
      expect(error.code).toBe(Code.Unauthenticated);
    }
  });
});

describe("UpdateProfile", () => {
  it("changes what is given, keeps the rest, and publishes users.UPDATED", async () => {
    const ada = await testbed.signUp("ada");
    const first = (
      await ada.client.updateProfile({ displayName: "  Ada Lovelace ", bio: "counting\r\nengines" })
    ).profile!;
    expect(first).toMatchObject({ displayName: "Ada Lovelace", bio: "counting\nengines" });
    const second = (await ada.client.updateProfile({ bio: "" })).profile!;
    expect(second).toMatchObject({ displayName: "Ada Lovelace", bio: "" });
    const read = (await testbed.client().getProfile({ key: { case: "username", value: "ada" } })).profile!;
    expect(read).toMatchObject({ displayName: "Ada Lovelace", bio: "" });

    const updates = await testbed.published({ type: "UPDATED" });
    expect(updates).toEqual([
      {
        topic: "users",
        type: "UPDATED",
        aggregateId: ada.id,
        payload: { userId: ada.id, username: "ada", displayName: "Ada Lovelace", bio: "counting\nengines" },
      },
      {
        topic: "users",
        type: "UPDATED",
        aggregateId: ada.id,
        payload: { userId: ada.id, username: "ada", displayName: "Ada Lovelace", bio: "" },
      },
    ]);
  });

  it("publishes nothing when nothing changes", async () => {
    const ada = await testbed.signUp("ada");
    await ada.client.updateProfile({ displayName: "Ada" });
    await ada.client.updateProfile({ displayName: "Ada" });
    await ada.client.updateProfile({});
    expect(await testbed.published({ type: "UPDATED" })).toHaveLength(1);
  });

  it("rejects over-long fields with field errors and changes nothing", async () => {
    const ada = await testbed.signUp("ada");
    const error = await failure(
      ada.client.updateProfile({ displayName: "x".repeat(65), bio: "y".repeat(151) }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldErrorsOf(error).map((e) => e.path)).toEqual(["displayName", "bio"]);
    const read = (await ada.client.getProfile({ key: { case: "me", value: true } })).profile!;
    expect(read).toMatchObject({ displayName: "", bio: "" });
    expect(await testbed.published({ type: "UPDATED" })).toEqual([]);
  });

  it("needs a caller with a profile", async () => {
    expect((await failure(testbed.client().updateProfile({ bio: "x" }))).code).toBe(Code.Unauthenticated);
    const early = testbed.client("0192f0a4-8b1c-7def-8123-456789abcdef");
    expect((await failure(early.updateProfile({ bio: "x" }))).code).toBe(Code.NotFound);
  });
});

describe("SearchProfiles", () => {
  beforeEach(async () => {
    for (const name of ["alice", "alicia", "albert", "al_x", "alx", "bob", "zal", "al.b"]) {
      await testbed.signUp(name);
    }
  });

  async function search(query: string, limit?: number) {
    const names: string[] = [];
    let cursor = "";
    let pages = 0;
    do {
      const page = await testbed.client().searchProfiles({ query, page: { limit: limit ?? 0, cursor } });
      names.push(...page.profiles.map((p) => p.username));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== "" && pages < 20);
    return { names, pages };
  }

  it("finds usernames by prefix, case-insensitively, in username order", async () => {
    expect((await search("al")).names).toEqual(["al.b", "al_x", "albert", "alice", "alicia", "alx"]);
    expect((await search("ALI")).names).toEqual(["alice", "alicia"]);
    expect((await search("q")).names).toEqual([]);
  });

  it("takes '_' and '.' literally", async () => {
    expect((await search("al_")).names).toEqual(["al_x"]);
    expect((await search("al.")).names).toEqual(["al.b"]);
  });

  it("pages by username without duplicates or gaps", async () => {
    const paged = await search("al", 2);
    expect(paged.names).toEqual(["al.b", "al_x", "albert", "alice", "alicia", "alx"]);
    expect(paged.pages).toBe(3);
  });

  it("rejects bad queries, limits and cursors", async () => {
    const anonymous = testbed.client();
    for (const query of ["", "a%", "a b", "x".repeat(31)]) {
      const error = await failure(anonymous.searchProfiles({ query }));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(fieldErrorsOf(error)[0]?.path).toBe("query");
    }
    expect((await failure(anonymous.searchProfiles({ query: "al", page: { limit: 101 } }))).code).toBe(
      Code.InvalidArgument,
    );
    expect((await failure(anonymous.searchProfiles({ query: "al", page: { limit: -1 } }))).code).toBe(
      Code.InvalidArgument,
    );
    expect(
      (await failure(anonymous.searchProfiles({ query: "al", page: { cursor: "garbage!" } }))).code,
    ).toBe(Code.InvalidArgument);
  });

  it("marks the profiles the caller follows", async () => {
    const me = await testbed.signUp("me.myself");
    await me.client.follow({ username: "alice" });
    const page = await me.client.searchProfiles({ query: "ali" });
    expect(page.profiles.map((p) => [p.username, p.followedByMe])).toEqual([
      ["alice", true],
      ["alicia", false],
    ]);
  });
});

describe("BatchGetProfiles", () => {
  it("keeps the order asked, leaves out unknown and malformed ids, and marks followedByMe", async () => {
    const a = await testbed.signUp("aaa");
    const b = await testbed.signUp("bbb");
    const c = await testbed.signUp("ccc");
    await a.client.follow({ username: "ccc" });
    const unknown = "0192f0a4-8b1c-7def-8123-456789abcdef";
    const { profiles } = await a.client.batchGetProfiles({ ids: [c.id, unknown, b.id, "nope", a.id] });
    expect(profiles.map((p) => [p.username, p.followedByMe])).toEqual([
      ["ccc", true],
      ["bbb", false],
      ["aaa", false],
    ]);
    expect((await testbed.client().batchGetProfiles({ ids: [] })).profiles).toEqual([]);
  });

  it("refuses more than 100 ids", async () => {
    const ids = Array.from({ length: 101 }, () => "0192f0a4-8b1c-7def-8123-456789abcdef");
    const error = await failure(testbed.client().batchGetProfiles({ ids }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldErrorsOf(error)[0]?.path).toBe("ids");
    expect((await testbed.client().batchGetProfiles({ ids: ids.slice(0, 100) })).profiles).toEqual([]);
  });
});
