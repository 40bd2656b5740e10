// Issue 9's repro: image-service falls behind (SIGSTOP), comments are written, PostgreSQL is
// stopped immediately (a crash as far as the data goes), image-service thaws and meets the dead
// database, PostgreSQL returns 5 s later. The comments' events must wait and retry, not be
// dead-lettered: commentsCount ends exact, and nothing acknowledged is lost (durable PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadLetterCount } from "./consumer-groups.ts";
import { type FaultStack, startFaultStack } from "./fault-stack.ts";
import { startPostgres, stopPostgres } from "./infrastructure-control.ts";
import { Ledger, report } from "./ledger.ts";
import { settle } from "./settle.ts";
import { createPopulation, runLoad, sleep } from "./workload.ts";

let faults: FaultStack;
beforeAll(async () => {
  faults = await startFaultStack();
});
afterAll(async () => {
  await startPostgres(); // whatever happened
  await faults?.stop();
});

describe("PostgreSQL killed while image-service lags", () => {
  it("keeps every acknowledged comment and an exact commentsCount", async () => {
    const ledger = new Ledger();
    const population = await createPopulation(faults.api, 8, ledger);
    const first = await settle(population, ledger);
    expect(first.lost).toEqual([]);
    const image = population.images[0]!;

    faults.stack.signal("image", "SIGSTOP");
    let outageStarted = Date.now();
    let load: Promise<void> = Promise.resolve();
    try {
      await sleep(1_000);
      for (const person of population.people.slice(0, 6)) {
        const started = Date.now();
        const reply = await person.client.comment(image, `while image-service sleeps, ${person.username}`);
        ledger.record({
          kind: "comment",
          actor: person.username,
          target: image,
          id: reply.status === 201 ? reply.body.id : undefined,
          status: reply.status,
          ms: Date.now() - started,
        });
        expect(reply.status, reply.text).toBe(201);
      }
      // writes keep coming through the outage (those that need the database fail, as 503)
      load = runLoad(faults.stack.gatewayUrl, population, ledger, {
        writes: 120,
        perSecond: 15,
        kinds: ["comment", "like", "follow"],
      });
      await sleep(1_000);
      outageStarted = Date.now();
      await stopPostgres();
    } finally {
      faults.stack.signal("image", "SIGCONT");
    }
    await sleep(Math.max(0, outageStarted + 5_000 - Date.now()));
    await startPostgres();
    const back = Date.now();
    await load;
    const outcome = await settle(population, ledger);
    const convergeMs = Date.now() - back;
    const imageNow = await population.people[0]!.client.image(image);
    report({
      scenario: "PostgreSQL stopped (immediate) while image-service lags, back after 5 s",
      sent: ledger.writes.length - population.people.length,
      acknowledged: ledger.acknowledged().length - population.people.length,
      failed: ledger.failed().length,
      lost: outcome.lost.length,
      convergeMs,
      notes: `${ledger.failures().join(", ")}; image ${image} commentsCount ${imageNow.body.commentsCount}`,
    });
    expect(await deadLetterCount(faults)).toBe(0);
    expect(outcome.lost).toEqual([]);
    expect(outcome.wrongCounters).toEqual([]);
    expect(ledger.failed().every((write) => write.status === 503)).toBe(true);
  });
});
