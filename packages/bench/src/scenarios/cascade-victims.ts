import { runBounded, sleep } from "../bounded-runs.ts";
import type { GatewayClient, ImageView, Person } from "../gateway-client.ts";

// The data of the deletion-cascade scenario: victims with images that others liked and commented
// on, and likes and comments of their own on a bystander's images. Built through the public API
// and settled (every event applied) before anything is measured.

export interface CascadeSize {
  victims: number;
  /** Per victim: images they own, likes and comments others put on them. */
  images: number;
  likes: number;
  comments: number;
  /** Per victim: likes and comments of theirs on a bystander's images. */
  ownLikes: number;
  ownComments: number;
}

export interface CascadeBuildOptions {
  api: GatewayClient;
  size: CascadeSize;
  tinyImage: Blob;
  concurrency: number;
  settleTimeoutMs: number;
}

/**
 * The people every victim meets: fans who like and comment on the victim's images, and a
 * bystander whose images the victim likes and comments on.
 */
export interface CascadeCast {
  fans: Person[];
  bystander: Person;
  bystanderImages: string[];
}

export async function buildCast(opts: CascadeBuildOptions): Promise<CascadeCast> {
  const { api, size } = opts;
  const fanCount = Math.max(1, Math.ceil(size.likes / Math.max(1, size.images)));
  const fans = await inBatches(fanCount, 4, () => api.newPerson("fan"));
  const bystander = await api.newPerson("bystander");
  const bystanderImages = (
    await collect(Math.max(1, size.ownLikes), opts.concurrency, () =>
      api.upload(bystander.token, opts.tinyImage, "tiny.png"),
    )
  ).map((image) => image.id);
  return { fans, bystander, bystanderImages };
}

export interface BuiltVictim {
  images: string[];
  likes: number;
  comments: number;
  ownLikes: number;
  ownComments: number;
  /** Per bystander image: the likes and comments the victim put on it. */
  ownOn: Map<string, { likes: number; comments: number }>;
  /** Per victim image: likes and comments it should carry. */
  expected: Map<string, { likes: number; comments: number }>;
}

export interface SettledVictim {
  victim: Person;
  built: BuiltVictim;
  /** The bystander's images as they were before this victim touched them. */
  baseline: Map<string, ImageView>;
}

/** A new victim and all of their data, returned once every event of the build has been applied. */
export async function buildSettledVictim(
  opts: CascadeBuildOptions,
  cast: CascadeCast,
): Promise<SettledVictim> {
  const victim = await opts.api.newPerson("victim");
  const baseline = await countersOf(opts.api, cast.bystanderImages, cast.bystander);
  const built = await buildVictim(opts, victim, cast.fans, cast.bystanderImages);
  const withVictim = new Map([...baseline].map(([id, view]) => [id, add(view, built.ownOn.get(id))]));
  await waitQuiet(opts, victim, built, cast.bystander, withVictim);
  return { victim, built, baseline };
}

async function buildVictim(
  opts: CascadeBuildOptions,
  victim: Person,
  fans: Person[],
  bystanderImages: string[],
): Promise<BuiltVictim> {
  const { api, size } = opts;
  const images = (
    await collect(size.images, opts.concurrency, (i) =>
      api.upload(victim.token, opts.tinyImage, "tiny.png", `victim image ${i}`),
    )
  ).map((image) => image.id);
  const expected = new Map(images.map((id) => [id, { likes: 0, comments: 0 }]));
  const pick = <T>(list: T[], at: number): T => list[at % list.length] as T;

  // Like i: image i mod N by fan ⌊i / N⌋, so no (fan, image) pair repeats.
  const likes = Math.min(size.likes, images.length * fans.length);
  await runBounded({ count: likes, concurrency: opts.concurrency }, async (i) => {
    const image = pick(images, i);
    await api.like(pick(fans, Math.floor(i / images.length)).token, image);
    bump(expected, image, "likes");
  });
  await runBounded({ count: size.comments, concurrency: opts.concurrency }, async (i) => {
    const image = pick(images, i);
    await api.comment(pick(fans, Math.floor(i / images.length)).token, image, `nice one #${i}`);
    bump(expected, image, "comments");
  });

  const ownOn = new Map(bystanderImages.map((id) => [id, { likes: 0, comments: 0 }]));
  const ownLikes = Math.min(size.ownLikes, bystanderImages.length);
  await runBounded({ count: ownLikes, concurrency: opts.concurrency }, async (i) => {
    const image = pick(bystanderImages, i);
    await api.like(victim.token, image);
    bump(ownOn, image, "likes");
  });
  await runBounded({ count: size.ownComments, concurrency: opts.concurrency }, async (i) => {
    const image = pick(bystanderImages, i);
    await api.comment(victim.token, image, `from ${victim.username} #${i}`);
    bump(ownOn, image, "comments");
  });
  return { images, likes, comments: size.comments, ownLikes, ownComments: size.ownComments, ownOn, expected };
}

/** Waits until every event of the build has been applied, so the deletion is timed on its own. */
async function waitQuiet(
  opts: CascadeBuildOptions,
  victim: Person,
  built: BuiltVictim,
  bystander: Person,
  bystanderExpected: Map<string, ImageView>,
): Promise<void> {
  const deadline = Date.now() + opts.settleTimeoutMs;
  for (;;) {
    const views = await opts.api.imagesOf(victim.username, victim.token);
    const settled =
      views.length === built.images.length &&
      views.every((view) => {
        const want = built.expected.get(view.id);
        return want !== undefined && view.likesCount === want.likes && view.commentsCount === want.comments;
      });
    const current = await countersOf(opts.api, [...bystanderExpected.keys()], bystander);
    const bystanderSettled = [...current].every(([id, view]) => {
      const then = bystanderExpected.get(id);
      return (
        then !== undefined && view.likesCount === then.likesCount && view.commentsCount === then.commentsCount
      );
    });
    if (settled && bystanderSettled) return;
    if (Date.now() >= deadline)
      throw new Error(`the build of ${victim.username} did not settle in ${opts.settleTimeoutMs} ms`);
    await sleep(200);
  }
}

export async function countersOf(
  api: GatewayClient,
  ids: string[],
  owner: Person,
): Promise<Map<string, ImageView>> {
  const wanted = new Set(ids);
  const views = await api.imagesOf(owner.username, owner.token);
  return new Map(views.filter((view) => wanted.has(view.id)).map((view) => [view.id, view]));
}

function add(view: ImageView, own: { likes: number; comments: number } | undefined): ImageView {
  return {
    ...view,
    likesCount: view.likesCount + (own?.likes ?? 0),
    commentsCount: view.commentsCount + (own?.comments ?? 0),
  };
}

function bump(
  counts: Map<string, { likes: number; comments: number }>,
  id: string,
  kind: "likes" | "comments",
): void {
  const entry = counts.get(id);
  if (entry) entry[kind]++;
}

async function collect<T>(
  count: number,
  concurrency: number,
  make: (index: number) => Promise<T>,
): Promise<T[]> {
  const made: T[] = new Array(count);
  await runBounded({ count, concurrency }, async (i) => {
    made[i] = await make(i);
  });
  return made;
}

function inBatches<T>(count: number, concurrency: number, make: () => Promise<T>): Promise<T[]> {
  return collect(count, concurrency, () => make());
}
