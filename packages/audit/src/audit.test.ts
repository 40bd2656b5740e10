import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Database, type DatabaseConnector, migrate, newId } from "@instagram/kit";
import { createPgliteConnector } from "@instagram/kit/node";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditOrphans } from "./audit.ts";
import { runAuditCommand } from "./command.ts";
import { describeFinding, type Finding } from "./finding.ts";

// Every service's own migrations, applied to one PGlite: the audit runs against the real tables.
const require = createRequire(import.meta.url);
const services = [
  { schema: "auth", module: "@instagram/auth-service" },
  { schema: "users", module: "@instagram/user-service" },
  { schema: "images", module: "@instagram/image-service" },
  { schema: "comments", module: "@instagram/comment-service" },
];

let connector: DatabaseConnector;
let db: Database;
let blobDir: string;

beforeAll(async () => {
  connector = createPgliteConnector({ memory: true });
  const handle = await connector.connect();
  for (const service of services) {
    const migrationsFolder = join(dirname(require.resolve(service.module)), "db", "migrations");
    await migrate(handle, { schema: service.schema, migrationsFolder });
  }
  db = handle.db;
}, 120_000);

afterAll(async () => {
  await connector.close();
});

beforeEach(async () => {
  await db.execute(sql`truncate auth.accounts, auth.sessions, auth.refresh_tokens, users.profiles,
    users.follows, users.owned_images, images.images, images.likes, images.image_tags,
    images.image_mentions, images.owners, images.blob_claims, comments.comments,
    comments.known_images, comments.authors cascade`);
  blobDir = await mkdtemp(join(tmpdir(), "audit-blobs-"));
  return () => rm(blobDir, { recursive: true, force: true });
});

async function account(username: string): Promise<string> {
  const id = newId();
  await db.execute(sql`insert into auth.accounts (id, username, email, password_hash)
    values (${id}, ${username}, ${`${username}@example.com`}, 'x')`);
  await db.execute(sql`insert into auth.sessions (id, account_id) values (${newId()}, ${id})`);
  return id;
}

/** Everything a user has in every service, as the services would have written it. */
async function person(id: string, username: string): Promise<void> {
  await db.execute(
    sql`insert into users.profiles (id, username, created_at) values (${id}, ${username}, now())`,
  );
  await db.execute(sql`insert into images.owners (user_id, username) values (${id}, ${username})`);
  await db.execute(sql`insert into comments.authors (user_id, username) values (${id}, ${username})`);
}

async function image(ownerId: string, options: { files?: boolean } = {}): Promise<string> {
  const id = newId();
  await db.execute(sql`insert into images.images (id, owner_id, caption, hashtags, mentions, content_type,
      width, height, created_at)
    values (${id}, ${ownerId}, '#sun @bob', '{sun}', '{bob}', 'image/png', 10, 10, now())`);
  await db.execute(
    sql`insert into images.image_tags (tag, image_id, created_at) values ('sun', ${id}, now())`,
  );
  await db.execute(
    sql`insert into images.image_mentions (username, image_id, created_at) values ('bob', ${id}, now())`,
  );
  await db.execute(sql`insert into users.owned_images (image_id, owner_id) values (${id}, ${ownerId})`);
  await db.execute(sql`insert into comments.known_images (image_id, owner_id) values (${id}, ${ownerId})`);
  if (options.files ?? true) for (const rendition of ["original", "thumbnail"]) await file(id, rendition);
  return id;
}

async function file(imageId: string, rendition: string): Promise<string> {
  const path = join("objects", imageId.slice(-2), `${imageId}.${rendition}`);
  await mkdir(join(blobDir, dirname(path)), { recursive: true });
  await writeFile(join(blobDir, path), "bytes");
  return path;
}

async function like(imageId: string, userId: string): Promise<void> {
  await db.execute(
    sql`insert into images.likes (image_id, user_id, created_at) values (${imageId}, ${userId}, now())`,
  );
}

async function comment(imageId: string, authorId: string): Promise<string> {
  const id = newId();
  await db.execute(sql`insert into comments.comments (id, image_id, author_id, text, created_at)
    values (${id}, ${imageId}, ${authorId}, 'nice', now())`);
  return id;
}

async function follow(followerId: string, followeeId: string): Promise<void> {
  await db.execute(
    sql`insert into users.follows (id, follower_id, followee_id) values (${newId()}, ${followerId}, ${followeeId})`,
  );
}

/** A small world of live users who follow, post, like and comment on each other. */
async function liveWorld(): Promise<{ alice: string; bob: string; picture: string }> {
  const alice = await account("alice");
  const bob = await account("bob");
  await person(alice, "alice");
  await person(bob, "bob");
  await follow(alice, bob);
  await follow(bob, alice);
  const picture = await image(alice);
  await like(picture, bob);
  await comment(picture, bob);
  await comment(await image(bob), alice);
  return { alice, bob, picture };
}

const audit = (): Promise<Finding[]> => auditOrphans({ database: db, blobDir });

describe("auditOrphans", () => {
  it("finds nothing in a consistent world", async () => {
    await liveWorld();
    expect(await audit()).toEqual([]);
  });

  it("finds every row of an account that is gone, in every service, and nothing of the living", async () => {
    const { alice, bob, picture } = await liveWorld();
    const gone = newId(); // a user whose account was deleted, whose cascade did not run
    await person(gone, "carol");
    await follow(gone, alice);
    await follow(bob, gone);
    const theirs = await image(gone);
    await like(picture, gone);
    await like(theirs, alice);
    const theirComment = await comment(picture, gone);
    await comment(theirs, bob);

    const findings = await audit();
    const places = findings.map((f) => f.place).sort();
    expect(places).toEqual(
      [
        "comments.authors",
        "comments.comments", // carol's comment on alice's picture
        "comments.known_images",
        "images.image_mentions",
        "images.image_tags",
        "images.images",
        "images.likes", // carol's like of alice's picture
        "images.owners",
        "users.follows",
        "users.follows",
        "users.owned_images",
        "users.profiles",
      ].sort(),
    );
    expect(findings.every((f) => f.problem.includes(gone))).toBe(true);
    expect(findings).toContainEqual({
      place: "comments.comments",
      item: `id=${theirComment} image_id=${picture}`,
      problem: `author_id ${gone} names no account`,
    });
    expect(findings).toContainEqual({
      place: "images.likes",
      item: `image_id=${picture} user_id=${gone}`,
      problem: `user_id ${gone} names no account`,
    });
    // bob's comment on carol's image is no orphan of an account; it goes once her image does (below).
    expect(findings.some((f) => f.item.includes(bob) && f.place === "comments.comments")).toBe(false);
  });

  it("finds what outlived a deleted image: comments, read-model rows and files", async () => {
    const { bob } = await liveWorld();
    const id = await image(bob);
    const remark = await comment(id, bob);
    await db.execute(sql`delete from images.images where id = ${id}`); // tags, mentions, likes cascade

    const findings = await audit();
    expect(findings).toEqual(
      expect.arrayContaining([
        {
          place: "comments.comments",
          item: `id=${remark} author_id=${bob}`,
          problem: `image_id ${id} names no image`,
        },
        {
          place: "comments.known_images",
          item: `image_id=${id}`,
          problem: `live image ${id} names no image`,
        },
        { place: "users.owned_images", item: `image_id=${id}`, problem: `image_id ${id} names no image` },
      ]),
    );
    expect(findings.filter((f) => f.place === "blobs").map((f) => f.problem)).toEqual([
      `image ${id} names no image`,
      `image ${id} names no image`,
    ]);
    expect(findings).toHaveLength(5);
  });

  it("keeps read-model tombstones, which exist so that late events cannot revive the dead", async () => {
    await liveWorld();
    const gone = newId();
    await db.execute(
      sql`insert into images.owners (user_id, username, deleted_at) values (${gone}, 'dan', now())`,
    );
    await db.execute(
      sql`insert into comments.authors (user_id, username, deleted_at) values (${gone}, 'dan', now())`,
    );
    await db.execute(
      sql`insert into comments.known_images (image_id, owner_id, deleted_at) values (${newId()}, ${gone}, now())`,
    );
    expect(await audit()).toEqual([]);
  });

  it("checks files against rows: a file without a row, a row without a file, claims in flight", async () => {
    const { alice } = await liveWorld();
    const thumbless = await image(alice, { files: false });
    await file(thumbless, "original");
    const uploading = newId();
    await db.execute(sql`insert into images.blob_claims (image_id, reason) values (${uploading}, 'upload')`);
    await file(uploading, "original");
    const abandoned = newId();
    await db.execute(sql`insert into images.blob_claims (image_id, reason, since)
      values (${abandoned}, 'upload', now() - interval '2 hours')`);
    const abandonedPath = await file(abandoned, "original");
    const deleting = newId();
    await db.execute(sql`insert into images.blob_claims (image_id, reason) values (${deleting}, 'delete')`);
    const deletingPath = await file(deleting, "thumbnail");
    const stray = newId();
    const strayPath = await file(stray, "original");
    await mkdir(join(blobDir, "objects", "zz"), { recursive: true });
    await writeFile(join(blobDir, "objects", "zz", "notes.txt"), "?");
    await mkdir(join(blobDir, "scratch"), { recursive: true });
    await writeFile(join(blobDir, "scratch", "in-progress.part"), "half");

    const findings = await audit();
    expect(findings.map(describeFinding).sort()).toEqual(
      [
        `blobs ${abandonedPath}: image ${abandoned} names no image`,
        `blobs ${deletingPath}: image ${deleting} is deleted; file removal pending`,
        `blobs ${strayPath}: image ${stray} names no image`,
        `blobs ${join("objects", "zz", "notes.txt")}: is no image file (<image id>.<rendition>)`,
        `images.images id=${thumbless}: has no thumbnail file`,
      ].sort(),
    );
  });

  it("leaves files alone when no blob directory is given, and reads a missing one as empty", async () => {
    const alice = await account("alice");
    await person(alice, "alice");
    await image(alice, { files: false });
    expect(await auditOrphans({ database: db })).toEqual([]);
    const missing = await auditOrphans({ database: db, blobDir: join(blobDir, "nowhere") });
    expect(missing.map((f) => f.problem)).toEqual(["has no original file", "has no thumbnail file"]);
  });

  it("refuses to call a database clean when a service's schema is missing", async () => {
    const bare = createPgliteConnector({ memory: true });
    try {
      const handle = await bare.connect();
      await expect(auditOrphans({ database: handle.db })).rejects.toThrow();
    } finally {
      await bare.close();
    }
  }, 60_000);
});

describe("the audit command", () => {
  async function run(env: Record<string, string | undefined>, withDatabase = true) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAuditCommand({
      env,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      target: withDatabase ? { database: db } : undefined,
    });
    return { code, out, err };
  }

  it("prints '0 orphans' and exits 0 when clean", async () => {
    await liveWorld();
    expect(await run({ BLOB_DIR: blobDir })).toEqual({ code: 0, out: ["0 orphans"], err: [] });
  });

  it("prints one line per finding and exits 1 when not", async () => {
    await liveWorld();
    const gone = newId();
    await person(gone, "erin");
    const result = await run({ BLOB_DIR: blobDir });
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      `users.profiles id=${gone} username=erin: id ${gone} names no account`,
      `images.owners user_id=${gone} username=erin: live owner ${gone} names no account`,
      `comments.authors user_id=${gone} username=erin: live author ${gone} names no account`,
      "3 orphans",
    ]);
  });

  it("exits 2 when it cannot look", async () => {
    const missing = await run({}, false);
    expect(missing.code).toBe(2);
    expect(missing.err.join("\n")).toMatch(/DATABASE_URL is not set/);
    const unreachable = await run({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }, false);
    expect(unreachable.code).toBe(2);
    expect(unreachable.err.join("\n")).toMatch(/audit failed/);
  }, 30_000);
});
