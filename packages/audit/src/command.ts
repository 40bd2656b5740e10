import { type AuditTarget, auditOrphans } from "./audit.ts";
import { bucketTargetOf } from "./bucket-objects.ts";
import { describeFinding } from "./finding.ts";

export interface AuditCommandIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /** Where to look instead of DATABASE_URL (tests: a PGlite database). */
  target?: AuditTarget;
}

/**
 * The CLI's work: one line per finding, then "<n> orphans". Exit code 0 when clean, 1 when not,
 * 2 when it could not look (no DATABASE_URL, a schema missing, the database unreachable).
 */
export async function runAuditCommand(io: AuditCommandIo): Promise<number> {
  const databaseUrl = io.env.DATABASE_URL;
  const target = io.target ?? (databaseUrl ? { databaseUrl } : undefined);
  if (target === undefined) {
    io.err("DATABASE_URL is not set (BLOB_DIR too, to check image files)");
    return 2;
  }
  const bucket = bucketTargetOf(io.env);
  const blobDir = io.env.BLOB_DIR || undefined;
  if (bucket === undefined && blobDir === undefined) {
    io.err("BLOB_DIR is not set (nor BLOB_STORE=s3 with S3_BUCKET): image files are not checked");
  }
  try {
    const findings = await auditOrphans({ ...target, blobDir, bucket });
    for (const finding of findings) io.out(describeFinding(finding));
    io.out(`${findings.length} orphans`);
    return findings.length === 0 ? 0 : 1;
  } catch (error) {
    io.err(`audit failed: ${reasonOf(error)}`);
    return 2;
  }
}

/** The innermost message: drizzle wraps the driver's "relation … does not exist" in "Failed query: …". */
function reasonOf(error: unknown): string {
  let reason = String(error);
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    reason = current.message;
    current = current.cause;
  }
  return reason;
}
