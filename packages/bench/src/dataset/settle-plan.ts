import type { DatasetPlan } from "./plan.ts";
import { createRandom, shuffled } from "./random.ts";

export interface Person {
  id: string;
  username: string;
}

/** Someone the event-settle scenario acts as, with writes that are sure to show (single use). */
export interface SettleActor extends Person {
  /** Accounts the actor does not follow whose newest image will be on the actor's first feed page. */
  follow: (Person & { imageId: string })[];
  /** Images the actor has not liked (each given to one actor only). */
  like: string[];
}

export interface SettleOptions {
  actors: number;
  /** Follows and likes prepared per actor. */
  perActor: number;
  /** The page size the scenario reads the feed with (the API's maximum is 100). */
  feedPageLimit: number;
  seed: number;
}

/**
 * Actors and the follows/likes they will make. A followee qualifies when its newest image is newer
 * than the actor's (pageLimit − perActor)-th newest feed item, so even after all of the actor's
 * new follows that image still lands on a first page of `feedPageLimit`.
 */
export function planSettle(plan: DatasetPlan, options: SettleOptions): SettleActor[] {
  const random = createRandom(options.seed ^ 0x5e771e);
  const userCount = plan.users.ids.length;
  const imageCount = plan.images.ids.length;
  const perActor = Math.min(options.perActor, Math.max(0, options.feedPageLimit - 1));
  const depth = options.feedPageLimit - perActor;

  const newestImage = new Int32Array(userCount).fill(-1);
  const imagesOf: number[][] = Array.from({ length: userCount }, () => []);
  for (let image = 0; image < imageCount; image++) {
    const owner = plan.images.owner[image] as number;
    imagesOf[owner]?.push(image);
    const current = newestImage[owner] as number;
    if (current < 0 || (plan.images.at[image] as number) > (plan.images.at[current] as number)) {
      newestImage[owner] = image;
    }
  }
  const followeesOf: number[][] = Array.from({ length: userCount }, () => []);
  for (let i = 0; i < plan.follows.follower.length; i++) {
    followeesOf[plan.follows.follower[i] as number]?.push(plan.follows.followee[i] as number);
  }
  // Posters by their newest image, newest first: the candidates to follow.
  const posters = [...Array(userCount).keys()]
    .filter((user) => (newestImage[user] as number) >= 0)
    .sort((a, b) => imageAtOf(plan, newestImage[b] as number) - imageAtOf(plan, newestImage[a] as number));

  const likePool = shuffled(imageCount, random);
  let likeNext = 0;
  const actors: SettleActor[] = [];
  for (const user of shuffled(userCount, random)) {
    if (actors.length >= options.actors) break;
    const followed = new Set(followeesOf[user]);
    const feedTimes = [user, ...followed].flatMap((owner) =>
      (imagesOf[owner] ?? []).map((i) => imageAtOf(plan, i)),
    );
    feedTimes.sort((a, b) => b - a);
    const threshold = feedTimes[depth - 1] ?? Number.NEGATIVE_INFINITY;
    const qualifying: number[] = [];
    for (const poster of posters) {
      if (imageAtOf(plan, newestImage[poster] as number) <= threshold) break;
      if (poster !== user && !followed.has(poster)) qualifying.push(poster);
    }
    if (qualifying.length < perActor) continue;
    // A random few of them, so that actors do not all follow the same newest posters.
    const follow = [...shuffled(qualifying.length, random).subarray(0, perActor)].map((at) => {
      const poster = qualifying[at] as number;
      return { ...personOf(plan, poster), imageId: plan.images.ids[newestImage[poster] as number] as string };
    });
    const liked = new Set<number>();
    const like: string[] = [];
    while (like.length < perActor && likeNext < imageCount) {
      const image = likePool[likeNext++] as number;
      if (plan.images.owner[image] === user || liked.has(image)) continue;
      like.push(plan.images.ids[image] as string);
    }
    actors.push({ ...personOf(plan, user), follow, like });
  }
  // Likes already in the dataset are excluded afterwards: one pass over them for all actors.
  const actorIndex = new Map(actors.map((actor, i) => [actor.id, i]));
  const alreadyLiked = actors.map(() => new Set<string>());
  for (let i = 0; i < plan.likes.user.length; i++) {
    const slot = actorIndex.get(plan.users.ids[plan.likes.user[i] as number] as string);
    if (slot !== undefined) alreadyLiked[slot]?.add(plan.images.ids[plan.likes.image[i] as number] as string);
  }
  return actors.map((actor, i) => ({ ...actor, like: actor.like.filter((id) => !alreadyLiked[i]?.has(id)) }));
}

function imageAtOf(plan: DatasetPlan, image: number): number {
  return plan.images.at[image] as number;
}

function personOf(plan: DatasetPlan, user: number): Person {
  return { id: plan.users.ids[user] as string, username: plan.users.usernames[user] as string };
}
