import type { ImageEnv } from "../env.ts";
import { FileBlobStore } from "./file-blob-store.ts";
import type { S3BlobStore } from "./s3-blob-store.ts";

/** How long a presigned content URL stays valid. */
const PRESIGNED_CONTENT_SECONDS = 300;

/**
 * The blob store BLOB_STORE names, ready to use: `file` under BLOB_DIR (the default), or `s3`
 * (the S3_* settings; BLOB_DIR then holds only the local scratch space). Both keep a local
 * scratch space, where uploads are spooled and rendered.
 */
export async function openConfiguredBlobStore(env: ImageEnv): Promise<FileBlobStore | S3BlobStore> {
  const blobs = env.BLOB_STORE === "s3" ? await s3StoreOf(env) : new FileBlobStore(env.BLOB_DIR);
  await blobs.init();
  return blobs;
}

// The AWS SDK is loaded only when it is used: the embedded default never pays for it.
async function s3StoreOf(env: ImageEnv): Promise<S3BlobStore> {
  const { S3BlobStore } = await import("./s3-blob-store.ts");
  if (env.S3_BUCKET === undefined) throw new Error("BLOB_STORE=s3 needs S3_BUCKET");
  const accessKeyId = env.S3_ACCESS_KEY_ID;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error("set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither");
  }
  return new S3BlobStore({
    bucket: env.S3_BUCKET,
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined
        ? undefined
        : { accessKeyId, secretAccessKey },
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    scratchDir: env.BLOB_DIR,
    presignSeconds: env.S3_PRESIGNED_CONTENT ? PRESIGNED_CONTENT_SECONDS : undefined,
  });
}
