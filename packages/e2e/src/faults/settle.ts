// After a fault: waits until every acknowledged write is there and every counter equals the rows it
// counts, and measures how long that took.
import type { Page, PageQuery, Reply } from "../client.ts";
import type { Ledger } from "./ledger.ts";
import { type Population, sleep } from "./workload.ts";

export interface Findings {
  /** Acknowledged writes whose effect is missing. */
  lost: string[];
  /** Counters that differ from the rows they count. */
  wrongCounters: string[];
}

/** Polls `findings` until both lists are empty or `timeoutMs` passes; returns the last findings. */
export async function settle(
  population: Population,
  ledger: Ledger,
  timeoutMs = 120_000,
): Promise<Findings & { convergeMs: number }> {
  const started = Date.now();
  for (;;) {
    let last: Findings;
    try {
      last = await findings(population, ledger);
    } catch (error) {
      last = { lost: [`reading the state failed: ${String(error)}`], wrongCounters: [] };
    }
    const convergeMs = Date.now() - started;
    if ((last.lost.length === 0 && last.wrongCounters.length === 0) || convergeMs > timeoutMs) {
      return { ...last, convergeMs };
    }
    await sleep(250);
  }
}

/** The ground truth against the API's answers now. */
export async function findings(population: Population, ledger: Ledger): Promise<Findings> {
  const viewer = population.people[0]!.client;
  const lost: string[] = [];
  const wrongCounters: string[] = [];

  const followers = new Map<string, Set<string>>();
  for (const person of population.people) {
    const profile = ok(await viewer.profile(person.username));
    const theirFollowers = await all((page) => viewer.followers(person.username, page));
    const theirFollowing = await all((page) => viewer.following(person.username, page));
    const images = await all((page) => viewer.userImages(person.username, page));
    followers.set(person.username, new Set(theirFollowers.map((follower) => follower.username)));
    if (profile.followersCount !== theirFollowers.length)
      wrongCounters.push(
        `${person.username} followersCount ${profile.followersCount} ≠ ${theirFollowers.length}`,
      );
    if (profile.followingCount !== theirFollowing.length)
      wrongCounters.push(
        `${person.username} followingCount ${profile.followingCount} ≠ ${theirFollowing.length}`,
      );
    if (profile.imagesCount !== images.length)
      wrongCounters.push(`${person.username} imagesCount ${profile.imagesCount} ≠ ${images.length}`);
  }

  const likers = new Map<string, Set<string>>();
  const comments = new Map<string, Set<string>>();
  const missingImages = new Set<string>();
  for (const id of new Set(population.images)) {
    const reply = await viewer.image(id);
    if (reply.status === 404) {
      missingImages.add(id);
      continue;
    }
    const image = ok(reply);
    const theirLikers = await all((page) => viewer.likers(id, page));
    const theirComments = await all((page) => viewer.comments(id, page));
    likers.set(id, new Set(theirLikers.map((liker) => liker.username)));
    comments.set(id, new Set(theirComments.map((comment) => comment.id)));
    if (image.likesCount !== theirLikers.length)
      wrongCounters.push(`image ${id} likesCount ${image.likesCount} ≠ ${theirLikers.length}`);
    if (image.commentsCount !== theirComments.length)
      wrongCounters.push(`image ${id} commentsCount ${image.commentsCount} ≠ ${theirComments.length}`);
  }

  for (const write of ledger.acknowledged()) {
    if (write.kind === "follow" && !followers.get(write.target)?.has(write.actor))
      lost.push(`follow ${write.actor} → ${write.target}`);
    if (write.kind === "like" && !likers.get(write.target)?.has(write.actor))
      lost.push(`like ${write.actor} → ${write.target}`);
    if (write.kind === "comment" && !comments.get(write.target)?.has(write.id ?? ""))
      lost.push(`comment ${write.id} on ${write.target}`);
    if (write.kind === "upload" && missingImages.has(write.id ?? "")) lost.push(`upload ${write.id}`);
  }
  return { lost, wrongCounters };
}

function ok<T>(reply: Reply<T>): T {
  if (reply.status !== 200) throw new Error(`answered ${reply.status}: ${reply.text.slice(0, 200)}`);
  return reply.body;
}

async function all<T>(list: (page: PageQuery) => Promise<Reply<Page<T>>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = ok(await list({ limit: 100, cursor }));
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
}
