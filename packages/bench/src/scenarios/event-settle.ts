// Event settle: how long after a write its effect is visible where people look for it.
//   like   → PUT /v1/images/{id}/like, then GET /v1/images/{id} until likesCount has grown;
//   follow → PUT /v1/users/{username}/follow, then GET /v1/feed until the followee's newest image
//            is on the first page (users.FOLLOWED → image-service's feed read model and timeline).
// Open loop: writes start on a fixed schedule whatever the answers, so a slow system gets a queue,
// as it would from real users, instead of a politely slower client.
import type { Person, SettleActor } from "../dataset/index.ts";
import { type Summary, summarize } from "../stats.ts";

export type SettleKind = "like" | "follow";

/** A dataset actor with an access token. */
export interface SettleSession extends SettleActor {
  accessToken: string;
}

export interface EventSettleOptions {
  gatewayUrl: string;
  /** From `generateDataset(...).settle.actors`, logged in (`loginActors`). Their writes are single use. */
  actors: SettleSession[];
  ratePerSecond?: number;
  /** Per kind; default 10 s (2000 writes at 200/s). */
  durationS?: number;
  /** Between reads of one write, at first; see `pollDelay`. Default 20. */
  pollIntervalMs?: number;
  /** A write not visible this long after it was sent counts as a failure. */
  settleTimeoutMs?: number;
  /** The feed page size read (the dataset prepared follows to land on a page of this size). */
  feedPageLimit?: number;
  kinds?: SettleKind[];
  requestTimeoutMs?: number;
}

export interface SettleResult {
  kind: SettleKind;
  /** Writes issued (fewer than rate × duration if the actors ran out of prepared writes). */
  count: number;
  settled: number;
  failures: number;
  /** Failure reasons and how often each happened. */
  failureReasons: Record<string, number>;
  /** Write sent → first read showing it, ms. */
  settle: Summary;
  /** Write sent → its answer, ms. */
  write: Summary;
  /** How late writes started against their schedule (the client keeping up), ms. */
  lag: Summary;
}

/** Milliseconds from the start at which each of an open loop's requests is due. */
export function openLoopSchedule(ratePerSecond: number, durationS: number): number[] {
  if (!(ratePerSecond > 0) || !(durationS > 0)) return [];
  const count = Math.floor(ratePerSecond * durationS);
  return Array.from({ length: count }, (_, i) => (i * 1000) / ratePerSecond);
}

/**
 * The wait before the next read of a write sent `elapsedMs` ago: `intervalMs`, or a tenth of the
 * time waited so far if more. Settle times keep a resolution within 10 %, and a system that falls
 * behind is not also buried under reads of every write it has not shown yet.
 */
export function pollDelay(intervalMs: number, elapsedMs: number): number {
  return Math.max(intervalMs, elapsedMs / 10);
}

export interface SettleTask {
  actor: SettleSession;
  kind: SettleKind;
  /** Image id (like) or followee (follow). */
  target: string | (Person & { imageId: string });
}

/** Up to `count` writes, round-robin over the actors so each one's writes spread over the run. */
export function assignTasks(actors: SettleSession[], kind: SettleKind, count: number): SettleTask[] {
  const tasks: SettleTask[] = [];
  const depth = Math.max(0, ...actors.map((actor) => (kind === "like" ? actor.like : actor.follow).length));
  for (let round = 0; round < depth && tasks.length < count; round++) {
    for (const actor of actors) {
      if (tasks.length >= count) break;
      const target = kind === "like" ? actor.like[round] : actor.follow[round];
      if (target !== undefined) tasks.push({ actor, kind, target });
    }
  }
  return tasks;
}

/** Settle times and failures of one run. */
export class SettleBook {
  private readonly settleMs: number[] = [];
  private readonly writeMs: number[] = [];
  private readonly lagMs: number[] = [];
  private readonly reasons = new Map<string, number>();
  private issued = 0;

  started(lagMs: number): void {
    this.issued++;
    this.lagMs.push(Math.max(0, lagMs));
  }

  answered(writeMs: number): void {
    this.writeMs.push(writeMs);
  }

  settled(ms: number): void {
    this.settleMs.push(ms);
  }

  failed(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  result(kind: SettleKind): SettleResult {
    const failures = [...this.reasons.values()].reduce((sum, n) => sum + n, 0);
    return {
      kind,
      count: this.issued,
      settled: this.settleMs.length,
      failures,
      failureReasons: Object.fromEntries(this.reasons),
      settle: summarize(this.settleMs),
      write: summarize(this.writeMs),
      lag: summarize(this.lagMs),
    };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Logs the actors in, a few at a time (each login is an argon2id verification). The gateway
 * throttles logins per client (LOGIN_RATE_CLIENT_MAX_ATTEMPTS, 20 a minute by default): a 429 is
 * waited out (Retry-After) until `deadlineMs`, so start the stack with a higher limit for speed.
 */
export async function loginActors(
  gatewayUrl: string,
  actors: SettleActor[],
  password: string,
  options: { concurrency?: number; deadlineMs?: number } = {},
): Promise<SettleSession[]> {
  const sessions: SettleSession[] = [];
  const deadline = performance.now() + (options.deadlineMs ?? 180_000);
  let next = 0;
  const login = async (actor: SettleActor): Promise<SettleSession> => {
    for (;;) {
      const reply = await call(gatewayUrl, "POST", "/v1/auth/login", undefined, 30_000, {
        username: actor.username,
        password,
      });
      const token = (reply.body as { accessToken?: unknown } | undefined)?.accessToken;
      if (reply.status === 200 && typeof token === "string") return { ...actor, accessToken: token };
      const waitMs = 1000 * Math.max(1, Number(reply.retryAfter ?? 1) || 1);
      if (reply.status !== 429 || performance.now() + waitMs > deadline) {
        throw new Error(`login of ${actor.username}: ${reply.status}`);
      }
      await sleep(waitMs);
    }
  };
  const worker = async (): Promise<void> => {
    while (next < actors.length) sessions.push(await login(actors[next++] as SettleActor));
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return sessions;
}

export async function measureEventSettle(options: EventSettleOptions): Promise<SettleResult[]> {
  const results: SettleResult[] = [];
  for (const kind of options.kinds ?? ["like", "follow"]) results.push(await measureKind(kind, options));
  return results;
}

async function measureKind(kind: SettleKind, options: EventSettleOptions): Promise<SettleResult> {
  const rate = options.ratePerSecond ?? 200;
  const schedule = openLoopSchedule(rate, options.durationS ?? 10);
  const tasks = assignTasks(options.actors, kind, schedule.length);
  const pollMs = options.pollIntervalMs ?? 20;
  const timeoutMs = options.settleTimeoutMs ?? 10_000;
  const requestMs = options.requestTimeoutMs ?? 5_000;
  const pageLimit = options.feedPageLimit ?? 20;
  const { gatewayUrl } = options;
  // Likes show as a count: read each image's count first, outside the timed loop.
  const likesBefore =
    kind === "like" ? await readLikeCounts(gatewayUrl, tasks, requestMs) : new Map<string, number>();

  const book = new SettleBook();
  const visible = async (task: SettleTask): Promise<boolean> => {
    const token = task.actor.accessToken;
    if (typeof task.target === "string") {
      const reply = await call(gatewayUrl, "GET", `/v1/images/${task.target}`, token, requestMs);
      const count = (reply.body as { likesCount?: unknown } | undefined)?.likesCount;
      return reply.status === 200 && typeof count === "number" && count > (likesBefore.get(task.target) ?? 0);
    }
    const reply = await call(gatewayUrl, "GET", `/v1/feed?limit=${pageLimit}`, token, requestMs);
    const items = (reply.body as { items?: { id?: unknown }[] } | undefined)?.items ?? [];
    const imageId = task.target.imageId;
    return reply.status === 200 && items.some((item) => item.id === imageId);
  };
  const run = async (task: SettleTask): Promise<void> => {
    const sent = performance.now();
    try {
      const path =
        typeof task.target === "string"
          ? `/v1/images/${task.target}/like`
          : `/v1/users/${encodeURIComponent(task.target.username)}/follow`;
      const reply = await call(gatewayUrl, "PUT", path, task.actor.accessToken, requestMs);
      book.answered(performance.now() - sent);
      if (reply.status !== 204) return book.failed(`write ${reply.status}`);
      while (performance.now() - sent < timeoutMs) {
        // A read that fails or times out is just a poll that saw nothing: keep polling.
        const seen = await visible(task).catch(() => false);
        if (seen) return book.settled(performance.now() - sent);
        await sleep(pollDelay(pollMs, performance.now() - sent));
      }
      book.failed("not visible in time");
    } catch (error) {
      book.failed(error instanceof Error && error.name === "TimeoutError" ? "write timeout" : "write error");
    }
  };

  const start = performance.now();
  const running: Promise<void>[] = [];
  for (const [i, task] of tasks.entries()) {
    const due = start + (schedule[i] as number);
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    book.started(performance.now() - due);
    running.push(run(task));
  }
  await Promise.all(running);
  return book.result(kind);
}

async function readLikeCounts(
  gatewayUrl: string,
  tasks: SettleTask[],
  requestMs: number,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++] as SettleTask;
      if (typeof task.target !== "string") continue;
      const reply = await call(
        gatewayUrl,
        "GET",
        `/v1/images/${task.target}`,
        task.actor.accessToken,
        requestMs,
      );
      const count = (reply.body as { likesCount?: unknown } | undefined)?.likesCount;
      if (typeof count === "number") counts.set(task.target, count);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return counts;
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  token: string | undefined,
  timeoutMs: number,
  json?: unknown,
): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  const isJson = text !== "" && (response.headers.get("content-type") ?? "").includes("json");
  return {
    status: response.status,
    body: isJson ? JSON.parse(text) : undefined,
    retryAfter: response.headers.get("retry-after"),
  };
}
