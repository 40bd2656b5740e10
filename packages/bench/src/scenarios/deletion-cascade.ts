import { runBounded, sleep } from "../bounded-runs.ts";
import type { ImageView, Person, Reply } from "../gateway-client.ts";
import { type Summary, summarize } from "../stats.ts";
import {
  buildCast,
  buildSettledVictim,
  type CascadeBuildOptions,
  type CascadeSize,
  countersOf,
} from "./cascade-victims.ts";

export interface CascadeOptions extends CascadeBuildOptions {
  /** No new victim is built after this (Date.now() ms); at least one always is. */
  deadline: number;
  pollIntervalMs: number;
}

/** When each kind of leftover was last seen gone, in ms after DELETE /v1/accounts/me was sent. */
export interface VictimSettle {
  /** The DELETE's own answer (204). */
  deleteAnswerMs: number;
  profileGoneMs: number;
  imagesGoneMs: number;
  commentsGoneMs: number;
  countersBackMs: number;
  /** Everything above confirmed: the slowest of them. */
  settledMs: number;
  buildMs: number;
  built: { images: number; likes: number; comments: number; ownLikes: number; ownComments: number };
  /** After settling, every image and comment list checked (not timed); leftovers found. */
  leftovers: number;
}

export interface CascadeResult {
  size: CascadeSize;
  measured: number;
  stoppedByTime: boolean;
  /** Victims whose leftovers were still there after settleTimeoutMs, and which kinds. */
  timedOut: { username: string; unsettled: string[] }[];
  settleMs: Summary;
  deleteAnswerMs: Summary;
  victims: VictimSettle[];
  /** Requests per second while building the data (uploads, likes, comments). */
  buildRequestsPerSecond: number;
}

/**
 * Account deletion settle time: a user with images that others liked and commented on (and likes
 * and comments of their own on a bystander's images; built by cascade-victims.ts) deletes their
 * account; the public API is polled until nothing of theirs is left. One victim at a time, so
 * each is measured on a quiet stack.
 */
export async function measureDeletionCascade(opts: CascadeOptions): Promise<CascadeResult> {
  const { size } = opts;
  const cast = await buildCast(opts);
  const { bystander, bystanderImages } = cast;

  const victims: VictimSettle[] = [];
  let stoppedByTime = false;
  const timedOut: CascadeResult["timedOut"] = [];
  let buildRequests = 0;
  let buildMs = 0;
  let lastVictimMs = 0;
  for (let v = 0; v < size.victims; v++) {
    // Start another victim only if one more, as long as the last, still ends before the deadline.
    if (v > 0 && Date.now() + lastVictimMs >= opts.deadline) {
      stoppedByTime = true;
      break;
    }
    const started = performance.now();
    const { victim, built, baseline } = await buildSettledVictim(opts, cast);
    const victimBuildMs = performance.now() - started;
    buildMs += victimBuildMs;
    buildRequests += built.images.length + built.likes + built.comments + built.ownLikes + built.ownComments;

    const settle = await settleAfterDelete(opts, victim, built.images, bystander, baseline);
    lastVictimMs = performance.now() - started;
    if ("unsettled" in settle) {
      timedOut.push({ username: victim.username, unsettled: settle.unsettled });
      continue;
    }
    const leftovers = await countLeftovers(opts, victim, built.images, bystander, bystanderImages);
    victims.push({
      ...settle,
      buildMs: victimBuildMs,
      built: {
        images: built.images.length,
        likes: built.likes,
        comments: built.comments,
        ownLikes: built.ownLikes,
        ownComments: built.ownComments,
      },
      leftovers,
    });
  }

  return {
    size,
    measured: victims.length,
    stoppedByTime,
    timedOut,
    settleMs: summarize(victims.map((victim) => victim.settledMs)),
    deleteAnswerMs: summarize(victims.map((victim) => victim.deleteAnswerMs)),
    victims,
    buildRequestsPerSecond: buildMs > 0 ? (buildRequests * 1000) / buildMs : Number.NaN,
  };
}

/** One probe of a kind of leftover: true once it is gone. Checked in order; each stays confirmed. */
type Probe = () => Promise<boolean>;

async function settleAfterDelete(
  opts: CascadeOptions,
  victim: Person,
  images: string[],
  bystander: Person,
  expectedBack: Map<string, ImageView>,
): Promise<Omit<VictimSettle, "buildMs" | "built" | "leftovers"> | { unsettled: string[] }> {
  const { api } = opts;
  const gone = (reply: Reply): boolean => {
    if (reply.status === 404) return true;
    if (reply.status === 200) return false;
    throw new Error(`while polling the cascade: ${reply.status} ${reply.text.slice(0, 200)}`);
  };
  const observer = bystander.token; // reads need a token too
  // A sample of the images: all of them go in one transaction per service, and the whole set is
  // checked once settled (countLeftovers).
  const sample = images.filter((_, i) => i === 0 || i === images.length - 1 || i % 10 === 5);
  const groups: Record<"profile" | "images" | "comments" | "counters", Probe[]> = {
    profile: [async () => gone(await api.call("GET", `/v1/users/${victim.username}`, { token: observer }))],
    images: sample.map((id) => async () => gone(await api.image(id, observer))),
    comments: sample.map((id) => async () => gone(await api.comments(id, observer, 1))),
    counters: [
      async () => {
        const now = await countersOf(api, [...expectedBack.keys()], bystander);
        return [...now].every(([id, view]) => {
          const want = expectedBack.get(id);
          return (
            want !== undefined &&
            view.likesCount === want.likesCount &&
            view.commentsCount === want.commentsCount
          );
        });
      },
    ],
  };
  const confirmedAt: Partial<Record<keyof typeof groups, number>> = {};

  const started = performance.now();
  await api.deleteAccount(victim);
  const deleteAnswerMs = performance.now() - started;
  const deadline = Date.now() + opts.settleTimeoutMs;
  const pending = Object.fromEntries(
    Object.entries(groups).map(([name, probes]) => [name, [...probes]]),
  ) as Record<keyof typeof groups, Probe[]>;
  while (Date.now() < deadline) {
    await Promise.all(
      (Object.keys(groups) as (keyof typeof groups)[]).map(async (name) => {
        const left = pending[name];
        if (confirmedAt[name] !== undefined) return;
        // One request per round while the first is still there; once it is gone, the rest at once
        // (they go in the same transaction), so confirming costs one round trip, not one per probe.
        const [first, ...rest] = left;
        if (first !== undefined && !(await first())) return;
        const answers = await Promise.all(rest.map(async (probe) => ((await probe()) ? undefined : probe)));
        pending[name] = answers.filter((probe): probe is Probe => probe !== undefined);
        if (pending[name].length === 0) confirmedAt[name] = performance.now() - started;
      }),
    );
    if (Object.keys(groups).every((name) => confirmedAt[name as keyof typeof groups] !== undefined)) break;
    await sleep(opts.pollIntervalMs);
  }
  const { profile, images: imagesGone, comments, counters } = confirmedAt;
  if (profile === undefined || imagesGone === undefined || comments === undefined || counters === undefined) {
    const missing = Object.keys(groups).filter(
      (name) => confirmedAt[name as keyof typeof groups] === undefined,
    );
    return { unsettled: missing };
  }
  return {
    deleteAnswerMs,
    profileGoneMs: profile,
    imagesGoneMs: imagesGone,
    commentsGoneMs: comments,
    countersBackMs: counters,
    settledMs: Math.max(profile, imagesGone, comments, counters),
  };
}

/** Every image and its comment list must answer 404; no comment of the victim on the bystander's images. */
async function countLeftovers(
  opts: CascadeOptions,
  victim: Person,
  images: string[],
  bystander: Person,
  bystanderImages: string[],
): Promise<number> {
  const observer = bystander.token;
  let leftovers = 0;
  await runBounded({ count: images.length, concurrency: opts.concurrency }, async (i) => {
    const id = images[i] as string;
    if ((await opts.api.image(id, observer)).status !== 404) leftovers++;
    if ((await opts.api.comments(id, observer, 1)).status !== 404) leftovers++;
  });
  await runBounded({ count: bystanderImages.length, concurrency: opts.concurrency }, async (i) => {
    const reply = await opts.api.comments(bystanderImages[i] as string, observer);
    if (reply.status !== 200) throw new Error(`comments of a bystander image: ${reply.status} ${reply.text}`);
    const items = (reply.body as { items?: { author?: { id?: string } }[] } | undefined)?.items ?? [];
    leftovers += items.filter((comment) => comment.author?.id === victim.id).length;
  });
  return leftovers;
}
