// `npm run seed`: fills a running stack with demo data through the public REST API — people,
// follows, pictures (drawn here), likes and comments. Idempotent: run it again and nothing doubles.
// GATEWAY_URL (default http://localhost:8080), SEED_PEOPLE (12), SEED_PICTURES (3 per person).
import { SingleBar } from "cli-progress";
import sharp from "sharp";
import { createInstagramClient, type InstagramClient, imageUpload, signIn } from "../src/index.ts";

const baseUrl = process.env.GATEWAY_URL ?? "http://localhost:8080";
const people = wholeNumber("SEED_PEOPLE", 12);
const picturesEach = wholeNumber("SEED_PICTURES", 3);
const password = "demo seed passphrase 2026";
const topics = ["sunset", "coffee", "mountains", "citylights", "weekend", "garden"];

interface DemoPerson {
  username: string;
  client: InstagramClient;
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
}

function usernameOf(index: number): string {
  return `demo_${String(index + 1).padStart(2, "0")}`;
}

/** Signs the person up unless they exist (409), then logs in. */
async function personAt(index: number): Promise<DemoPerson> {
  const username = usernameOf(index);
  const anonymous = createInstagramClient({ baseUrl });
  const { response } = await anonymous.POST("/v1/accounts", {
    body: { username, email: `${username}@example.com`, password },
  });
  if (response.status !== 201 && response.status !== 409) {
    throw new Error(`sign-up of ${username} answered ${response.status}`);
  }
  const { client } = await signIn({ baseUrl, username, password });
  return { username, client };
}

/** A 640 px square in the person's colour with the topic written on it. */
async function drawPicture(personIndex: number, pictureIndex: number, topic: string): Promise<Blob> {
  const hue = (personIndex * 47 + pictureIndex * 19) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,35%)"/>
    </linearGradient></defs>
    <rect width="640" height="640" fill="url(#g)"/>
    <text x="320" y="340" font-family="sans-serif" font-size="56" fill="white" text-anchor="middle">#${topic}</text>
  </svg>`;
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  return new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" });
}

async function postMissingPictures(person: DemoPerson, index: number, friend: string): Promise<void> {
  const { data } = await person.client.GET("/v1/users/{username}/images", {
    params: { path: { username: person.username }, query: { limit: 100 } },
  });
  for (let n = data?.items.length ?? 0; n < picturesEach; n++) {
    const topic = topics[(index + n) % topics.length] ?? "demo";
    const caption = `A bit of #${topic} with @${friend}`;
    const { response } = await person.client.POST("/v1/images", {
      body: imageUpload(await drawPicture(index, n, topic), caption),
    });
    if (response.status !== 201) throw new Error(`upload by ${person.username} answered ${response.status}`);
  }
}

/** Everyone follows the next few people round the circle, likes and comments their pictures. */
async function befriend(person: DemoPerson, others: DemoPerson[]): Promise<void> {
  for (const other of others) {
    await person.client.PUT("/v1/users/{username}/follow", {
      params: { path: { username: other.username } },
    });
    const { data } = await person.client.GET("/v1/users/{username}/images", {
      params: { path: { username: other.username }, query: { limit: 100 } },
    });
    for (const image of data?.items ?? []) {
      await person.client.PUT("/v1/images/{id}/like", { params: { path: { id: image.id } } });
      const comments = await person.client.GET("/v1/images/{id}/comments", {
        params: { path: { id: image.id }, query: { limit: 100 } },
      });
      const mine = comments.data?.items.some((comment) => comment.author.username === person.username);
      if (!mine) {
        await person.client.POST("/v1/images/{id}/comments", {
          params: { path: { id: image.id } },
          body: { text: `Lovely one, @${other.username}!` },
        });
      }
    }
  }
}

async function seed(): Promise<void> {
  const bar = new SingleBar({ format: "seeding {bar} {value}/{total} {step}" });
  bar.start(people * 3, 0, { step: "people" });
  const everyone: DemoPerson[] = [];
  for (let i = 0; i < people; i++) {
    everyone.push(await personAt(i));
    bar.increment({ step: "people" });
  }
  for (const [i, person] of everyone.entries()) {
    await postMissingPictures(person, i, usernameOf((i + 1) % people));
    bar.increment({ step: "pictures" });
  }
  for (const [i, person] of everyone.entries()) {
    const circle = [1, 2, 3].map((step) => everyone[(i + step) % people]).filter((p) => p !== person);
    await befriend(
      person,
      circle.filter((p): p is DemoPerson => p !== undefined),
    );
    bar.increment({ step: "follows, likes, comments" });
  }
  bar.stop();
  console.log(`${people} people (password "${password}"), ${people * picturesEach} pictures, at ${baseUrl}`);
}

seed().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
