import { pollUntil, runBounded } from "../bounded-runs.ts";
import type { GatewayClient } from "../gateway-client.ts";

/** What the load scenarios need of a dataset, however it was made. */
export interface LoadDataset {
  users: { id: string; username: string; password: string }[];
  imageIds: string[];
  /** How it was made, for the report. */
  source: string;
}

/**
 * A small dataset made through the public REST API: `users` accounts, `imagesPerUser` tiny PNGs
 * each, and a skewed follow graph (user i follows `follows` others, drawn towards the first users,
 * so a few accounts have many followers).
 */
export async function restDataset(opts: {
  api: GatewayClient;
  users: number;
  imagesPerUser: number;
  follows: number;
  image: Blob;
  concurrency: number;
}): Promise<LoadDataset> {
  const { api } = opts;
  const people = new Array<Awaited<ReturnType<GatewayClient["newPerson"]>>>(opts.users);
  await runBounded({ count: opts.users, concurrency: opts.concurrency }, async (index) => {
    people[index] = await api.newPerson(`ld${index}`);
  });
  const imageIds: string[] = [];
  await runBounded(
    { count: opts.users * opts.imagesPerUser, concurrency: opts.concurrency },
    async (index) => {
      const owner = people[index % opts.users];
      if (!owner) return;
      const image = await api.upload(owner.token, opts.image, "tiny.png", `load #bench @${owner.username}`);
      imageIds.push(image.id);
    },
  );
  await runBounded({ count: opts.users, concurrency: opts.concurrency }, async (index) => {
    const follower = people[index];
    if (!follower) return;
    for (const followee of skewedFollowees(index, opts.users, opts.follows)) {
      const target = people[followee];
      if (!target) continue;
      await api.expect(
        204,
        "follow",
        api.call("PUT", `/v1/users/${target.username}/follow`, { token: follower.token }),
      );
    }
  });
  return {
    users: people.map(({ id, username, password }) => ({ id, username, password })),
    imageIds,
    source: `REST API: ${opts.users} users × ${opts.imagesPerUser} tiny PNGs, ${opts.follows} follows each`,
  };
}

/** `count` distinct followees of `user` among `users`, squared-uniform so low indices are favoured. */
export function skewedFollowees(user: number, users: number, count: number): number[] {
  const chosen = new Set<number>();
  for (let attempt = 0; chosen.size < Math.min(count, users - 1) && attempt < count * 20; attempt++) {
    const followee = Math.floor(Math.random() ** 2 * users);
    if (followee !== user) chosen.add(followee);
  }
  return [...chosen];
}

/**
 * Whether a REST-made dataset's events reached the read models within 60 s: the last user's
 * profile counts all of its images.
 */
export async function datasetSettled(api: GatewayClient, dataset: LoadDataset): Promise<boolean> {
  const last = dataset.users[dataset.users.length - 1];
  if (!last) return true;
  const reply = await api.call("POST", "/v1/auth/login", {
    json: { username: last.username, password: last.password },
  });
  const token = (reply.body as { accessToken?: string } | undefined)?.accessToken;
  const expected = Math.round(dataset.imageIds.length / dataset.users.length);
  return pollUntil(
    async () => {
      const profile = await api.call("GET", `/v1/users/${last.username}`, { token });
      return profile.status === 200 && (profile.body as { imagesCount?: number }).imagesCount === expected;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}
