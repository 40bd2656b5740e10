import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { type Database, type DatabaseConnector, migrate, newId } from "@instagram/kit";
import { createPgliteConnector } from "@instagram/kit/node";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditOrphans } from "./audit.ts";
import type { BucketTarget } from "./bucket-objects.ts";
import { runAuditCommand } from "./command.ts";
import { describeFinding } from "./finding.ts";

// A real S3-compatible server (SeaweedFS, scripts/seaweedfs.sh).
const endpoint = process.env.TEST_S3_ENDPOINT;
const accessKeyId = process.env.TEST_S3_ACCESS_KEY_ID;
const secretAccessKey = process.env.TEST_S3_SECRET_ACCESS_KEY;
if (!endpoint || !accessKeyId || !secretAccessKey) {
  throw new Error("TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY are not set");
}

const require = createRequire(import.meta.url);
const schemas = {
  auth: "@instagram/auth-service",
  users: "@instagram/user-service",
  images: "@instagram/image-service",
  comments: "@instagram/comment-service",
};

let connector: DatabaseConnector;
let db: Database;
let client: S3Client;
let target: BucketTarget;

beforeAll(async () => {
  connector = createPgliteConnector({ memory: true });
  const handle = await connector.connect();
  for (const [schema, module] of Object.entries(schemas)) {
    const migrationsFolder = join(dirname(require.resolve(module)), "db", "migrations");
    await migrate(handle, { schema, migrationsFolder });
  }
  db = handle.db;
  client = new S3Client({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId, secretAccessKey },
    forcePathStyle: true,
  });
  const bucket = `audit-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  target = { bucket, endpoint, accessKeyId, secretAccessKey, forcePathStyle: true };
});

afterAll(async () => {
  client?.destroy();
  await connector?.close();
});

async function put(key: string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: "bytes" }));
}

async function image(): Promise<string> {
  const owner = newId();
  await db.execute(sql`insert into auth.accounts (id, username, email, password_hash)
    values (${owner}, ${`u${owner.slice(-12)}`}, ${`${owner}@example.com`}, 'x')`);
  const id = newId();
  await db.execute(sql`insert into images.images (id, owner_id, caption, hashtags, mentions, content_type,
      width, height, created_at)
    values (${id}, ${owner}, '', '{}', '{}', 'image/png', 10, 10, now())`);
  await db.execute(sql`insert into users.owned_images (image_id, owner_id) values (${id}, ${owner})`);
  await db.execute(sql`insert into comments.known_images (image_id, owner_id) values (${id}, ${owner})`);
  return id;
}

describe("the orphan audit over a bucket", () => {
  it("checks objects against rows, and reports unfinished uploads once stale", async () => {
    const whole = await image();
    await put(`${whole}.original`);
    await put(`${whole}.thumbnail`);
    const thumbless = await image();
    await put(`${thumbless}.original`);
    const stray = newId();
    await put(`${stray}.thumbnail`);
    const uploading = newId();
    await db.execute(sql`insert into images.blob_claims (image_id, reason) values (${uploading}, 'upload')`);
    await put(`${uploading}.original`);
    await put("notes.txt");
    const crashed = `${newId()}.original`;
    await client.send(new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: crashed }));

    const expected = [
      `blobs ${stray}.thumbnail: image ${stray} names no image`,
      "blobs notes.txt: is no image file (<image id>.<rendition>)",
      `images.images id=${thumbless}: has no thumbnail file`,
    ];
    const findings = (await auditOrphans({ database: db, bucket: target })).map(describeFinding);
    expect(findings.sort()).toEqual([...expected].sort());
    // An upload unfinished for longer than the grace period is a crash's leftover.
    const later = await auditOrphans({ database: db, bucket: target, uploadGraceMs: -60_000 });
    expect(later.map(describeFinding)).toContain(
      `blobs ${crashed}: a multipart upload left unfinished (a crash mid-upload); its parts are not swept`,
    );
  });

  it("reads the bucket from image-service's variables in the command", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAuditCommand({
      env: {
        BLOB_STORE: "s3",
        S3_BUCKET: target.bucket,
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: accessKeyId,
        S3_SECRET_ACCESS_KEY: secretAccessKey,
        S3_FORCE_PATH_STYLE: "true",
      },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      target: { database: db },
    });
    expect(err).toEqual([]);
    expect(code).toBe(1);
    expect(out.at(-1)).toBe("3 orphans");
  });
});
