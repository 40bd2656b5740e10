import type { GatewayClient } from "../gateway-client.ts";
import { type LoadPlan, measureAlone, type SideResult } from "../load/alternating.ts";
import { datasetSettled, restDataset } from "../workload/dataset.ts";
import { logInViewers, type ReadEndpoint, readRequest } from "../workload/requests.ts";

export type EmbeddedReadsResult = Partial<Record<ReadEndpoint, SideResult>> & { dataset: string };

/**
 * GET /v1/users/{u} and GET /v1/feed against the embedded stack (one process, PGlite, in-process
 * bus) under the same load as the distributed rounds, on a small dataset made through the API. No
 * baseline (PGlite has none to share) and no CPU split: the stack shares this process and its
 * event loop with the load generator, which slows it too.
 */
export async function measureEmbeddedReads(opts: {
  api: GatewayClient;
  image: Blob;
  plan: LoadPlan;
  endpoints: readonly ReadEndpoint[];
}): Promise<EmbeddedReadsResult> {
  const dataset = await restDataset({
    api: opts.api,
    users: 20,
    imagesPerUser: 2,
    follows: 5,
    image: opts.image,
    concurrency: 6,
  });
  if (!(await datasetSettled(opts.api, dataset)))
    throw new Error("the dataset's events did not settle within 60 s");
  const viewers = await logInViewers(opts.api, dataset, 20, 6);
  const result: EmbeddedReadsResult = { dataset: dataset.source };
  for (const endpoint of opts.endpoints) {
    result[endpoint] = await measureAlone({
      target: { url: opts.api.baseUrl, next: () => readRequest(endpoint, viewers, dataset) },
      plan: opts.plan,
      cpuRoots: {},
      hz: 100,
    });
  }
  return result;
}
