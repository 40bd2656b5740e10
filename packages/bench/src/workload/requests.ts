import { runBounded } from "../bounded-runs.ts";
import type { GatewayClient } from "../gateway-client.ts";
import type { PreparedRequest } from "../load/load-round.ts";
import type { LoadDataset } from "./dataset.ts";

/** A logged-in user the load acts as. */
export interface Viewer {
  id: string;
  username: string;
  token: string;
}

/** Logs in `count` users of the dataset (spread over it), `concurrency` at a time. */
export async function logInViewers(
  api: GatewayClient,
  dataset: LoadDataset,
  count: number,
  concurrency: number,
): Promise<Viewer[]> {
  const step = Math.max(1, Math.floor(dataset.users.length / count));
  const chosen = dataset.users.filter((_, index) => index % step === 0).slice(0, count);
  const viewers: Viewer[] = [];
  await runBounded({ count: chosen.length, concurrency }, async (index) => {
    const user = chosen[index];
    if (!user) return;
    const reply = await api.expect(
      200,
      "log in",
      api.call("POST", "/v1/auth/login", { json: { username: user.username, password: user.password } }),
    );
    viewers.push({
      id: user.id,
      username: user.username,
      token: (reply.body as { accessToken: string }).accessToken,
    });
  });
  return viewers;
}

/** The read endpoints compared with the baseline. */
export const readEndpoints = ["users", "image", "userImages", "feed"] as const;
export type ReadEndpoint = (typeof readEndpoints)[number];

export const endpointPaths: Record<ReadEndpoint, string> = {
  users: "GET /v1/users/{u}",
  image: "GET /v1/images/{id}",
  userImages: "GET /v1/users/{u}/images",
  feed: "GET /v1/feed",
};

function pick<T>(items: readonly T[]): T {
  if (items.length === 0) throw new RangeError("nothing to pick from");
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** A fresh random request of one kind: a random viewer asking about a random user or image. */
export function readRequest(
  endpoint: ReadEndpoint,
  viewers: readonly Viewer[],
  dataset: LoadDataset,
): PreparedRequest {
  const viewer = pick(viewers);
  switch (endpoint) {
    case "users":
      return {
        kind: endpoint,
        method: "GET",
        token: viewer.token,
        path: `/v1/users/${pick(dataset.users).username}`,
      };
    case "image":
      return {
        kind: endpoint,
        method: "GET",
        token: viewer.token,
        path: `/v1/images/${pick(dataset.imageIds)}`,
      };
    case "userImages":
      return {
        kind: endpoint,
        method: "GET",
        token: viewer.token,
        path: `/v1/users/${pick(dataset.users).username}/images`,
      };
    case "feed":
      return { kind: endpoint, method: "GET", token: viewer.token, path: "/v1/feed" };
  }
}

/** DeathStarBench's social-network mix: 60 % home timeline, 30 % user timeline, 10 % writes. */
export const mixedWeights = [
  { kind: "feed", weight: 0.6 },
  { kind: "userImages", weight: 0.3 },
  { kind: "like", weight: 0.1 / 3 },
  { kind: "unlike", weight: 0.1 / 3 },
  { kind: "comment", weight: 0.1 / 3 },
] as const;
export type MixedKind = (typeof mixedWeights)[number]["kind"];

/** The entry whose cumulative weight first exceeds `draw` (a number in [0, total)). */
export function pickByWeight<T extends { weight: number }>(entries: readonly T[], draw: number): T {
  let cumulative = 0;
  for (const entry of entries) {
    cumulative += entry.weight;
    if (draw < cumulative) return entry;
  }
  const last = entries[entries.length - 1];
  if (last === undefined) throw new RangeError("no entries to pick from");
  return last;
}

export function mixedRequest(viewers: readonly Viewer[], dataset: LoadDataset): PreparedRequest {
  const { kind } = pickByWeight(mixedWeights, Math.random());
  const viewer = pick(viewers);
  switch (kind) {
    case "feed":
    case "userImages":
      return readRequest(kind, [viewer], dataset);
    case "like":
    case "unlike":
      return {
        kind,
        method: kind === "like" ? "PUT" : "DELETE",
        token: viewer.token,
        path: `/v1/images/${pick(dataset.imageIds)}/like`,
      };
    case "comment":
      return {
        kind,
        method: "POST",
        token: viewer.token,
        path: `/v1/images/${pick(dataset.imageIds)}/comments`,
        body: JSON.stringify({ text: `load comment #bench ${Math.random().toString(36).slice(2, 8)}` }),
      };
  }
}
