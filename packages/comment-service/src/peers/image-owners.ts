import { createClient } from "@connectrpc/connect";
import { ImageService } from "@instagram/contracts/image";
import { createServiceTransport, type Discovery, type InstanceTransports } from "@instagram/kit";

/**
 * Asks image-service who owns images (only those that exist come back). Used only when the
 * images read model does not know an image yet: its images.CREATED may lag the upload by a few
 * milliseconds, and a person who comments right after uploading should not get a 404.
 */
export interface ImageOwnerLookup {
  /** image id → owner id of the images that exist; throws when image-service does not answer in time. */
  ownersOf(imageIds: string[], authorization: string | undefined): Promise<Map<string, string>>;
}

export function createImageOwnerLookup(opts: {
  discovery: Discovery;
  timeoutMs: number;
  instances?: InstanceTransports;
}): ImageOwnerLookup {
  const client = createClient(
    ImageService,
    createServiceTransport({
      discovery: opts.discovery,
      service: "image",
      timeoutMs: opts.timeoutMs,
      instances: opts.instances,
    }),
  );
  return {
    async ownersOf(imageIds, authorization) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const response = await client.batchGetImageOwners(
        { ids: imageIds },
        { headers, timeoutMs: opts.timeoutMs },
      );
      return new Map(response.owners.map((owner) => [owner.imageId, owner.ownerId]));
    },
  };
}
