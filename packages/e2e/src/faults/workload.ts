// A bounded load of mixed writes (follows, likes, comments, uploads) through the gateway, each one
// recorded in the ledger with the API's answer.
import type { Client } from "../client.ts";
import { newPeople, type Person } from "../people.ts";
import { picture } from "../test-images.ts";
import type { Ledger, WriteKind, WriteRecord } from "./ledger.ts";

export interface Population {
  people: Person[];
  /** Ids of the images that exist (grows with acknowledged uploads). */
  images: string[];
  jpeg: Uint8Array<ArrayBuffer>;
}

/** `people` accounts with one image each (acknowledged: the load's targets). */
export async function createPopulation(api: Client, people: number, ledger: Ledger): Promise<Population> {
  const population: Population = {
    people: await newPeople(api, people, { prefix: "flt" }),
    images: [],
    jpeg: new Uint8Array(await picture("jpeg", 64, 48)),
  };
  for (const person of population.people) {
    const write = await send(api.baseUrl, population, "upload", person, "");
    ledger.record(write);
    if (write.id === undefined) throw new Error(`the population's upload answered ${write.status}`);
    population.images.push(write.id);
  }
  return population;
}

export interface LoadOptions {
  writes: number;
  perSecond: number;
  /** Most writes in flight at once; default 16. */
  concurrency?: number;
  /** The mix; default follows 30 %, likes 30 %, comments 30 %, uploads 10 %. */
  kinds?: WriteKind[];
}

const defaultMix: WriteKind[] = [
  "follow",
  "follow",
  "follow",
  "like",
  "like",
  "like",
  "comment",
  "comment",
  "comment",
  "upload",
];

/** Sends `writes` writes at `perSecond`, and resolves when every one has its answer. */
export async function runLoad(
  gatewayUrl: string,
  population: Population,
  ledger: Ledger,
  options: LoadOptions,
): Promise<void> {
  const mix = options.kinds ?? defaultMix;
  const concurrency = options.concurrency ?? 16;
  const interval = 1000 / options.perSecond;
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < options.writes; i++) {
    const due = started + i * interval;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const kind = mix[i % mix.length]!;
    const actor = pick(population.people);
    const target =
      kind === "follow"
        ? pick(population.people.filter((person) => person !== actor)).username
        : kind === "upload"
          ? ""
          : pick(population.images);
    const write = send(gatewayUrl, population, kind, actor, target).then((record) => {
      ledger.record(record);
      if (record.kind === "upload" && record.id !== undefined) population.images.push(record.id);
    });
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write));
  }
  await Promise.all(inFlight);
}

/** One write; never throws: no answer is status 0. */
async function send(
  gatewayUrl: string,
  population: Population,
  kind: WriteKind,
  actor: Person,
  target: string,
): Promise<WriteRecord> {
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${actor.tokens.accessToken}`,
  };
  let request: { method: string; path: string; body?: BodyInit };
  if (kind === "follow") request = { method: "PUT", path: `/v1/users/${target}/follow` };
  else if (kind === "like") request = { method: "PUT", path: `/v1/images/${target}/like` };
  else if (kind === "comment") {
    headers["content-type"] = "application/json";
    request = {
      method: "POST",
      path: `/v1/images/${target}/comments`,
      body: JSON.stringify({ text: `comment from ${actor.username}` }),
    };
  } else {
    const form = new FormData();
    form.append("caption", `upload by ${actor.username}`);
    form.append("file", new Blob([population.jpeg], { type: "image/jpeg" }), "fault.jpg");
    request = { method: "POST", path: "/v1/images", body: form };
  }
  const started = Date.now();
  let status = 0;
  let id: string | undefined;
  try {
    const response = await fetch(new URL(request.path, gatewayUrl), {
      method: request.method,
      headers,
      body: request.body,
      signal: AbortSignal.timeout(20_000),
    });
    status = response.status;
    const text = await response.text();
    if (status === 201) id = (JSON.parse(text) as { id: string }).id;
  } catch {
    status = 0;
  }
  return { kind, actor: actor.username, target, id, status, ms: Date.now() - started };
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
