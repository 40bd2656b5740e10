import { hashtagsOf, mentionsOf } from "@instagram/contracts/text-entities";
import { uuidV7At } from "./ids.ts";
import { createRandom, distinctDraws, type Random, shuffled, weightedSampler } from "./random.ts";

const DAY_MS = 86_400_000;

/** What to generate; every knob has a default in `generateDataset`. */
export interface DatasetShape {
  users: number;
  images: number;
  /** Mean out-degree of the follow graph (most users follow 0.28×…2.8× this). */
  averageFollows: number;
  likes: number;
  comments: number;
  /** Zipf exponent of followee popularity: higher concentrates followers on fewer accounts. */
  popularityExponent: number;
  seed: number;
  /** "Now" of the dataset (ms since the epoch): images spread over the 365 days before it. */
  now: number;
  usernamePrefix: string;
}

/** Parallel arrays: row i of each belongs together (indices into `users` / `images`). */
export interface DatasetPlan {
  shape: DatasetShape;
  users: { ids: string[]; usernames: string[]; createdAt: Float64Array };
  follows: { follower: Int32Array; followee: Int32Array; at: Float64Array };
  images: { ids: string[]; owner: Int32Array; at: Float64Array; captions: string[]; texts: TextEntities[] };
  likes: { image: Int32Array; user: Int32Array; at: Float64Array };
  comments: {
    image: Int32Array;
    author: Int32Array;
    at: Float64Array;
    texts: string[];
    entities: TextEntities[];
  };
  followersCount: Int32Array;
  followingCount: Int32Array;
}

export interface TextEntities {
  hashtags: string[];
  mentions: string[];
}

export function usernameOf(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(6, "0")}`;
}

/**
 * How many accounts one user follows: most 1×…10× a base (log-uniform, a long right tail), one in
 * ten fewer than the base (new or quiet accounts); the base is chosen so the mean is `average`.
 */
export function followingDegree(average: number, maximum: number, random: Random): number {
  // mean = 0.9 · 9b/ln 10 + 0.1 · (b + 1)/2 ≈ 3.568 b
  const base = Math.max(1, average / 3.568);
  const degree =
    random.next() < 0.9
      ? Math.exp(random.between(Math.log(base), Math.log(10 * base)))
      : random.between(1, base + 1);
  return Math.min(maximum, Math.max(0, Math.floor(degree)));
}

/** Followee weights: Zipf over a random popularity rank (rank 0 the most followed). */
export function popularityWeights(users: number, exponent: number, random: Random): Float64Array {
  const rank = shuffled(users, random);
  const weights = new Float64Array(users);
  for (let user = 0; user < users; user++) weights[user] = 1 / ((rank[user] as number) + 1) ** exponent;
  return weights;
}

/** The follow graph: each user's followees drawn by preferential attachment, no self, no repeats. */
export function planFollows(
  users: number,
  averageFollows: number,
  exponent: number,
  random: Random,
): { follower: Int32Array; followee: Int32Array } {
  const weights = popularityWeights(users, exponent, random);
  const sampler = weightedSampler(weights);
  const followers: number[] = [];
  const followees: number[] = [];
  for (let user = 0; user < users; user++) {
    const degree = followingDegree(averageFollows, users - 1, random);
    for (const followee of distinctDraws(sampler, weights, degree, random, user)) {
      followers.push(user);
      followees.push(followee);
    }
  }
  return { follower: Int32Array.from(followers), followee: Int32Array.from(followees) };
}

export function degrees(count: number, ends: Int32Array): Int32Array {
  const result = new Int32Array(count);
  for (const end of ends) result[end] = (result[end] as number) + 1;
  return result;
}

const TAGS = [
  "sunset",
  "travel",
  "food",
  "coffee",
  "nature",
  "photography",
  "friends",
  "love",
  "summer",
  "art",
  "beach",
  "hiking",
  "city",
  "music",
  "fitness",
  "dog",
  "cat",
  "family",
  "weekend",
  "goals",
  "nofilter",
  "mountains",
  "streetphotography",
  "foodie",
  "bookstagram",
  "picoftheday",
  "ootd",
  "café",
  "北京",
  "night",
];
const CAPTION_OPENERS = [
  "Golden hour never disappoints",
  "Sunday mood",
  "Couldn't resist",
  "Throwback to this",
  "New week, new view",
  "Just another day",
  "Made it!",
  "Look at this",
  "Best lunch in town",
  "Quiet morning",
  "",
  "",
];
const COMMENTS = [
  "Love this!",
  "Wow 😍",
  "Amazing shot",
  "Where is this?",
  "So good",
  "Goals #goals",
  "🔥🔥🔥",
  "Need to go there #travel",
  "Beautiful colours",
  "Miss you!",
  "Haha yes",
  "Stunning #photography",
];

function captionOf(random: Random, usernames: readonly string[]): string {
  const parts = [random.pick(CAPTION_OPENERS)];
  const tagCount = random.int(4);
  for (let i = 0; i < tagCount; i++) parts.push(`#${random.pick(TAGS)}`);
  if (random.next() < 0.2) parts.push(`with @${random.pick(usernames)}`);
  return parts.filter((part) => part !== "").join(" ");
}

function commentOf(random: Random, ownerUsername: string): string {
  const text = random.pick(COMMENTS);
  return random.next() < 0.15 ? `@${ownerUsername} ${text}` : text;
}

function entitiesOf(text: string): TextEntities {
  return { hashtags: hashtagsOf(text), mentions: mentionsOf(text) };
}

/** The whole dataset as numbers and strings, before anything is written. Deterministic per seed. */
export function planDataset(shape: DatasetShape): DatasetPlan {
  const random = createRandom(shape.seed);
  const { now } = shape;
  const userCount = shape.users;

  // Accounts: created a year or two ago, before any of the images.
  const usernames = Array.from({ length: userCount }, (_, i) => usernameOf(shape.usernamePrefix, i + 1));
  const userCreatedAt = new Float64Array(userCount);
  const userIds = usernames.map((_, i) => {
    const at = Math.floor(now - random.between(366, 730) * DAY_MS);
    userCreatedAt[i] = at;
    return uuidV7At(at, random);
  });

  const graph = planFollows(userCount, shape.averageFollows, shape.popularityExponent, random);
  const followAt = new Float64Array(graph.follower.length);
  for (let i = 0; i < followAt.length; i++) {
    const since = Math.max(
      userCreatedAt[graph.follower[i] as number] as number,
      userCreatedAt[graph.followee[i] as number] as number,
    );
    followAt[i] = Math.floor(random.between(since, now));
  }
  const followersCount = degrees(userCount, graph.followee);
  const followingCount = degrees(userCount, graph.follower);

  // Images: posting activity is skewed too (log-normal), over the last 365 days.
  const activity = new Float64Array(userCount);
  for (let user = 0; user < userCount; user++) activity[user] = Math.exp(1.1 * random.normal());
  const ownerSampler = weightedSampler(activity);
  const imageOwner = new Int32Array(shape.images);
  const imageAt = new Float64Array(shape.images);
  const imageIds: string[] = [];
  const captions: string[] = [];
  const captionEntities: TextEntities[] = [];
  for (let i = 0; i < shape.images; i++) imageAt[i] = Math.floor(now - 60_000 - random.next() * 365 * DAY_MS);
  imageAt.sort(); // oldest first, as they were posted (and the primary key fills in order)
  for (let i = 0; i < shape.images; i++) {
    imageOwner[i] = ownerSampler.draw(random);
    imageIds.push(uuidV7At(imageAt[i] as number, random));
    const caption = captionOf(random, usernames);
    captions.push(caption);
    captionEntities.push(entitiesOf(caption));
  }

  // Likes and comments land on images in proportion to their owner's audience.
  const reach = new Float64Array(shape.images);
  for (let i = 0; i < shape.images; i++) reach[i] = (followersCount[imageOwner[i] as number] as number) + 10;
  const imageSampler = shape.images > 0 ? weightedSampler(reach) : undefined;

  const likesPerImage = new Int32Array(shape.images);
  for (let n = 0; n < shape.likes && imageSampler; n++) {
    const image = imageSampler.draw(random);
    likesPerImage[image] = (likesPerImage[image] as number) + 1;
  }
  const uniformUsers = new Float64Array(userCount).fill(1);
  const userSampler = weightedSampler(uniformUsers);
  const likeImage: number[] = [];
  const likeUser: number[] = [];
  const likeAt: number[] = [];
  for (let image = 0; image < shape.images; image++) {
    const count = likesPerImage[image] as number;
    if (count === 0) continue;
    for (const user of distinctDraws(userSampler, uniformUsers, count, random)) {
      likeImage.push(image);
      likeUser.push(user);
      likeAt.push(Math.floor(random.between(imageAt[image] as number, now)));
    }
  }

  const commentImage = new Int32Array(imageSampler ? shape.comments : 0);
  const commentAuthor = new Int32Array(commentImage.length);
  const commentAt = new Float64Array(commentImage.length);
  const commentTexts: string[] = [];
  const commentEntities: TextEntities[] = [];
  for (let n = 0; n < commentImage.length && imageSampler; n++) {
    const image = imageSampler.draw(random);
    commentImage[n] = image;
    commentAuthor[n] = userSampler.draw(random);
    commentAt[n] = Math.floor(random.between(imageAt[image] as number, now));
    const text = commentOf(random, usernames[imageOwner[image] as number] as string);
    commentTexts.push(text);
    commentEntities.push(entitiesOf(text));
  }

  return {
    shape,
    users: { ids: userIds, usernames, createdAt: userCreatedAt },
    follows: { ...graph, at: followAt },
    images: { ids: imageIds, owner: imageOwner, at: imageAt, captions, texts: captionEntities },
    likes: {
      image: Int32Array.from(likeImage),
      user: Int32Array.from(likeUser),
      at: Float64Array.from(likeAt),
    },
    comments: {
      image: commentImage,
      author: commentAuthor,
      at: commentAt,
      texts: commentTexts,
      entities: commentEntities,
    },
    followersCount,
    followingCount,
  };
}
