import { type Database, rowsOf } from "@instagram/kit";
import { createPostgresConnector } from "@instagram/kit/node";
import { inArray, sql } from "drizzle-orm";
import { type BlobFile, listBlobFiles, renditions } from "./blob-files.ts";
import { type BucketTarget, listBucketObjects, staleUploads } from "./bucket-objects.ts";
import type { Finding } from "./finding.ts";
import { rowChecks } from "./orphan-rows.ts";

export type AuditTarget =
  /** A drizzle database over every service's schema, e.g. the embedded stack's PGlite. */
  | { database: Database }
  /** PostgreSQL holding every service's schema (the distributed mode). */
  | { databaseUrl: string };

export type AuditOptions = AuditTarget & {
  /** image-service's BLOB_DIR: its files are checked against the images rows when given. */
  blobDir?: string;
  /** image-service's bucket (BLOB_STORE=s3): its objects are checked instead of a blob directory. */
  bucket?: BucketTarget;
  /** A file with an "upload" claim younger than this is an upload in flight; default 1 h (the reaper's grace). */
  uploadGraceMs?: number;
};

interface Snapshot {
  findings: Finding[];
  imageIds: Set<string>;
  /** Image ids with an "upload" claim younger than the grace: files that may still get their row. */
  uploading: Set<string>;
  /** Image ids with a "delete" claim: files the reaper is to remove. */
  deleting: Set<string>;
}

/**
 * Finds every row and file that outlived the account (or image) it belongs to, across every
 * service's schema. An operations tool: unlike the services, each of which only touches its own
 * schema, it reads them all — read-only, in one snapshot (REPEATABLE READ), so a cascade in flight
 * shows up as a few findings that are gone on the next run, never as a torn view of one moment.
 */
export async function auditOrphans(options: AuditOptions): Promise<Finding[]> {
  if ("database" in options) return audit(options.database, options);
  const connector = createPostgresConnector({ url: options.databaseUrl, max: 1 });
  try {
    const handle = await connector.connect();
    return await audit(handle.db, options);
  } finally {
    await connector.close();
  }
}

async function audit(db: Database, options: AuditOptions): Promise<Finding[]> {
  // Files listed before the snapshot can only be newer than their row or claim (an upload claims,
  // writes, then inserts its row); files listed after it are checked against its rows.
  const listFiles = fileListOf(options);
  const uploadGraceMs = options.uploadGraceMs ?? 3_600_000;
  const filesBefore = listFiles === undefined ? [] : await listFiles();
  const snapshot = await readSnapshot(db, uploadGraceMs);
  if (listFiles === undefined) return snapshot.findings;
  const filesAfter = await listFiles();
  const unfinished =
    options.bucket === undefined
      ? []
      : await staleUploads(options.bucket, new Date(Date.now() - uploadGraceMs));
  return [
    ...snapshot.findings,
    ...filesWithoutRows(filesBefore, snapshot),
    ...(await rowsWithoutFiles(db, filesAfter, snapshot.imageIds)),
    ...unfinished.map((key) => ({
      place: "blobs",
      item: key,
      problem: "a multipart upload left unfinished (a crash mid-upload); its parts are not swept",
    })),
  ];
}

function fileListOf(options: AuditOptions): (() => Promise<BlobFile[]>) | undefined {
  const { bucket, blobDir } = options;
  if (bucket !== undefined) return () => listBucketObjects(bucket);
  if (blobDir !== undefined) return () => listBlobFiles(blobDir);
  return undefined;
}

function readSnapshot(db: Database, uploadGraceMs: number): Promise<Snapshot> {
  return db.transaction(
    async (tx) => {
      const findings: Finding[] = [];
      for (const check of rowChecks) {
        for (const row of rowsOf(await tx.execute(check.query))) {
          findings.push({
            place: check.place,
            item: String(row.item),
            problem: check.problem(String(row.gone)),
          });
        }
      }
      const imageIds = new Set(
        rowsOf(await tx.execute(sql`select id::text as id from images.images`)).map((row) => String(row.id)),
      );
      const claims = rowsOf(
        await tx.execute(sql`select image_id::text as image_id, reason,
            since > now() - make_interval(secs => ${uploadGraceMs / 1000}::double precision) as fresh
          from images.blob_claims`),
      );
      const uploading = new Set<string>();
      const deleting = new Set<string>();
      for (const claim of claims) {
        const id = String(claim.image_id);
        if (claim.reason === "delete") deleting.add(id);
        else if (claim.reason === "upload" && claim.fresh === true) uploading.add(id);
      }
      return { findings, imageIds, uploading, deleting };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

function filesWithoutRows(files: BlobFile[], snapshot: Snapshot): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const id = file.imageId;
    if (id === undefined) {
      findings.push({
        place: "blobs",
        item: file.path,
        problem: "is no image file (<image id>.<rendition>)",
      });
    } else if (snapshot.imageIds.has(id) || snapshot.uploading.has(id)) {
      // its image exists, or its upload is still in flight
    } else if (snapshot.deleting.has(id)) {
      findings.push({
        place: "blobs",
        item: file.path,
        problem: `image ${id} is deleted; file removal pending`,
      });
    } else {
      findings.push({ place: "blobs", item: file.path, problem: `image ${id} names no image` });
    }
  }
  return findings;
}

async function rowsWithoutFiles(db: Database, files: BlobFile[], imageIds: Set<string>): Promise<Finding[]> {
  const present = new Set(files.map((file) => `${file.imageId}.${file.rendition}`));
  const missing = new Map<string, string[]>();
  for (const id of imageIds) {
    const gone = renditions.filter((rendition) => !present.has(`${id}.${rendition}`));
    if (gone.length > 0) missing.set(id, gone);
  }
  if (missing.size === 0) return [];
  // An image deleted since the snapshot took its files with it: only rows still there count.
  const stillThere = new Set<string>();
  const ids = [...missing.keys()];
  for (let start = 0; start < ids.length; start += 500) {
    const batch = ids.slice(start, start + 500);
    const rows = rowsOf(
      await db.execute(sql`select id::text as id from images.images where ${inArray(sql`id::text`, batch)}`),
    );
    for (const row of rows) stillThere.add(String(row.id));
  }
  return [...missing]
    .filter(([id]) => stillThere.has(id))
    .flatMap(([id, gone]) =>
      gone.map((rendition) => ({
        place: "images.images",
        item: `id=${id}`,
        problem: `has no ${rendition} file`,
      })),
    );
}
