import type { BucketTarget } from "@instagram/audit";

/**
 * With BLOB_STORE=s3 (and the S3_* settings of scripts/seaweedfs.sh env): a new bucket for this
 * run, so that objects of other runs on the same store are not taken for this stack's orphans.
 * Returns the variables that point image-service at it and the audit's view of it.
 */
export async function createRunBucket(
  env: NodeJS.ProcessEnv,
  name: string,
): Promise<{ env: Record<string, string>; target: BucketTarget } | undefined> {
  if (env.BLOB_STORE !== "s3") return undefined;
  const { CreateBucketCommand, S3Client } = await import("@aws-sdk/client-s3");
  const endpoint = env.S3_ENDPOINT || undefined;
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  const forcePathStyle = /^(true|1|yes|on)$/i.test(env.S3_FORCE_PATH_STYLE ?? "");
  const region = env.S3_REGION || "us-east-1";
  const bucket = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 63);
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle,
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined
        ? undefined
        : { accessKeyId, secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw new Error(
      `BLOB_STORE=s3 but no bucket could be made at ${endpoint ?? "AWS"} (${String(error)}). ` +
        'Run `INFRA_S3=1 bash scripts/infra.sh up`, then `eval "$(INFRA_S3=1 bash scripts/infra.sh env)"`.',
    );
  } finally {
    client.destroy();
  }
  return {
    env: { S3_BUCKET: bucket },
    target: { bucket, endpoint, region, accessKeyId, secretAccessKey, forcePathStyle },
  };
}
