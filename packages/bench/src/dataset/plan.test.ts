import { describe, expect, it } from "vitest";
import { msOfUuidV7 } from "./ids.ts";
import { type DatasetShape, degrees, followingDegree, planDataset, planFollows } from "./plan.ts";
import { createRandom, distinctDraws, weightedSampler } from "./random.ts";
import { planSettle } from "./settle-plan.ts";

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 15);

function shape(overrides: Partial<DatasetShape> = {}): DatasetShape {
  return {
    users: 400,
    images: 4000,
    averageFollows: 40,
    likes: 8000,
    comments: 1000,
    popularityExponent: 0.8,
    seed: 7,
    now: NOW,
    usernamePrefix: "bench_",
    ...overrides,
  };
}

function quantile(values: Int32Array, q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

describe("follow graph", { timeout: 60_000 }, () => {
  // The benchmark's own scale: 10k users, 180 follows on average.
  const users = 10_000;
  const graph = planFollows(users, 180, 0.8, createRandom(1));
  const following = degrees(users, graph.follower);
  const followers = degrees(users, graph.followee);

  it("has most users following 50 to 500 accounts, averaging what was asked", () => {
    const within = following.filter((n) => n >= 50 && n <= 500).length;
    expect(within / users).toBeGreaterThan(0.85);
    expect(graph.follower.length / users).toBeGreaterThan(160);
    expect(graph.follower.length / users).toBeLessThan(200);
  });

  it("is power-law on the followed side: a few accounts have 5k+ followers, the median far fewer", () => {
    const celebrities = followers.filter((n) => n >= 5000).length;
    expect(celebrities).toBeGreaterThanOrEqual(3);
    expect(celebrities).toBeLessThanOrEqual(50);
    expect(quantile(followers, 0.5)).toBeLessThan(200);
    expect(Math.max(...followers)).toBeLessThanOrEqual(users - 1);
  });

  it("has no self-follows and no repeated edges", () => {
    const edges = new Set<number>();
    let selfFollows = 0;
    for (let i = 0; i < graph.follower.length; i++) {
      const follower = graph.follower[i] as number;
      const followee = graph.followee[i] as number;
      if (follower === followee) selfFollows++;
      edges.add(follower * users + followee);
    }
    expect(selfFollows).toBe(0);
    expect(edges.size).toBe(graph.follower.length);
  });
});

describe("sampling", () => {
  it("draws distinct indices by weight, never the excluded one, even when nearly all are wanted", () => {
    const weights = [100, 1, 1, 1, 1, 1];
    const random = createRandom(3);
    const sampler = weightedSampler(weights);
    for (let round = 0; round < 50; round++) {
      const drawn = distinctDraws(sampler, weights, 5, random, 2);
      expect(new Set(drawn).size).toBe(5);
      expect(drawn).not.toContain(2);
    }
    expect(distinctDraws(sampler, weights, 99, random, 0).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps out-degrees within [0, maximum]", () => {
    const random = createRandom(5);
    for (let i = 0; i < 1000; i++) {
      const degree = followingDegree(180, 60, random);
      expect(degree).toBeGreaterThanOrEqual(0);
      expect(degree).toBeLessThanOrEqual(60);
    }
  });
});

describe("planDataset", () => {
  const plan = planDataset(shape());

  it("is the same for the same seed", () => {
    const again = planDataset(shape());
    expect(again.users.ids).toEqual(plan.users.ids);
    expect(again.images.ids.slice(0, 50)).toEqual(plan.images.ids.slice(0, 50));
    expect(again.likes.user).toEqual(plan.likes.user);
  });

  it("gives UUIDv7 ids: version 7, RFC variant, all distinct", () => {
    const ids = [...plan.users.ids, ...plan.images.ids];
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(ids.filter((id) => !v7.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("dates images over the last year, ids carrying their time, after their owner's account", () => {
    const wrong = plan.images.ids.filter((id, i) => {
      const at = plan.images.at[i] as number;
      const ownerSince = plan.users.createdAt[plan.images.owner[i] as number] as number;
      return at < NOW - 365 * DAY_MS || at >= NOW || msOfUuidV7(id) !== at || at <= ownerSince;
    });
    expect(wrong).toEqual([]);
    const lastMonth = [...plan.images.at].filter((at) => at >= NOW - 30 * DAY_MS).length;
    expect(lastMonth / plan.images.ids.length).toBeGreaterThan(0.06);
    expect(lastMonth / plan.images.ids.length).toBeLessThan(0.11);
  });

  it("never has one user like an image twice, and likes come after the image", () => {
    const seen = new Set<number>();
    let early = 0;
    for (let i = 0; i < plan.likes.image.length; i++) {
      const image = plan.likes.image[i] as number;
      seen.add(image * plan.users.ids.length + (plan.likes.user[i] as number));
      if ((plan.likes.at[i] as number) < (plan.images.at[image] as number)) early++;
    }
    expect(early).toBe(0);
    expect(seen.size).toBe(plan.likes.image.length);
    expect(plan.likes.image.length).toBe(8000);
  });

  it("parses hashtags and mentions out of captions the way the services do", () => {
    const tagged = plan.images.captions.findIndex((caption) => caption.includes("#"));
    expect(plan.images.texts[tagged]?.hashtags.length).toBeGreaterThan(0);
    const mentioning = plan.images.captions.findIndex((caption) => caption.includes("@"));
    const mention = plan.images.texts[mentioning]?.mentions[0];
    expect(plan.users.usernames).toContain(mention);
  });
});

describe("planSettle", () => {
  const plan = planDataset(shape());
  const actors = planSettle(plan, { actors: 10, perActor: 5, feedPageLimit: 100, seed: 7 });

  it("gives actors followees they do not follow yet, each with its newest image", () => {
    expect(actors.length).toBe(10);
    const index = new Map(plan.users.ids.map((id, i) => [id, i]));
    const edges = new Set<string>();
    for (let i = 0; i < plan.follows.follower.length; i++) {
      edges.add(`${plan.follows.follower[i]}>${plan.follows.followee[i]}`);
    }
    for (const actor of actors) {
      expect(actor.follow.length).toBe(5);
      for (const followee of actor.follow) {
        expect(followee.id).not.toBe(actor.id);
        expect(edges.has(`${index.get(actor.id)}>${index.get(followee.id)}`)).toBe(false);
        const owned = plan.images.ids.filter((_, i) => plan.images.owner[i] === index.get(followee.id));
        const newest = owned.reduce((a, b) => (msOfUuidV7(a) >= msOfUuidV7(b) ? a : b));
        expect(followee.imageId).toBe(newest);
      }
    }
  });

  it("gives each image to like to one actor only, never one they liked or own", () => {
    const all = actors.flatMap((actor) => actor.like);
    expect(new Set(all).size).toBe(all.length);
    const likedBy = new Set<string>();
    for (let i = 0; i < plan.likes.image.length; i++) {
      likedBy.add(
        `${plan.users.ids[plan.likes.user[i] as number]}:${plan.images.ids[plan.likes.image[i] as number]}`,
      );
    }
    for (const actor of actors) {
      for (const image of actor.like) expect(likedBy.has(`${actor.id}:${image}`)).toBe(false);
    }
  });
});
