// Property-based fuzz of every operation of the gateway's served OpenAPI document: requests as the
// schema describes them and broken on purpose, anonymous, with a signed-in user's token or a bad one.
// Promises: no 5xx; every 4xx is problem+json with its own status; every status of a request that
// reached its operation is one the document lists for it; the gateway stays healthy.
// FUZZ_SEED repeats a run (the seed is in every failure report); FUZZ_RUNS sets the cases per operation.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newPerson } from "../people.ts";
import { gateway } from "../stack.ts";
import { picture } from "../test-images.ts";
import { documents, fetchDocument, operationsOf } from "./contract.ts";
import { type Ground, requestsFor } from "./requests.ts";
import { brokenPromises, described, send } from "./verdict.ts";

const gatewayUrl = inject("gatewayUrl");
const operations = operationsOf(await fetchDocument(gatewayUrl));
const runs = Number(process.env.FUZZ_RUNS ?? 40);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

/** Statuses seen per operation; statuses the document does not list for it; one example per such status. */
const seen = new Map<string, Map<number, number>>();
const undocumented = new Map<string, Set<number>>();
const examples = new Map<number, string>();

let ground: Ground;

beforeAll(async () => {
  const api = gateway();
  const [owner, visitor] = await Promise.all([
    newPerson(api, { prefix: "fz" }),
    newPerson(api, { prefix: "fz" }),
  ]);
  const png = new Uint8Array(await picture("png", 16, 12));
  const posted = await owner.client.upload({
    bytes: png,
    contentType: "image/png",
    caption: `#fuzztag @${visitor.username}`,
  });
  expect(posted.status, posted.text).toBe(201);
  const comment = await visitor.client.comment(posted.body.id, `@${owner.username} #fuzztag`);
  expect(comment.status, comment.text).toBe(201);
  ground = {
    token: visitor.tokens.accessToken,
    png,
    known: {
      id: [posted.body.id],
      imageId: [posted.body.id],
      commentId: [comment.body.id],
      username: [owner.username, visitor.username],
      tag: ["fuzztag"],
      query: [owner.username.slice(0, 3)],
    },
  };
});

afterAll(() => {
  let total = 0;
  const lines = operations.map((operation) => {
    const statuses = seen.get(operation.name) ?? new Map<number, number>();
    const count = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    total += count;
    const histogram = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`);
    const extra = [...(undocumented.get(operation.name) ?? [])].sort();
    const note = extra.length > 0 ? `  (not in the document: ${extra.join(", ")})` : "";
    return `  ${operation.name.padEnd(44)} ${String(count).padStart(4)}  ${histogram.join(" ")}${note}`;
  });
  console.info(
    [
      `OpenAPI fuzz: ${total} requests over ${operations.length} operations (seed ${seed})`,
      ...lines,
      ...(examples.size > 0
        ? ["Statuses an operation does not list, one example each:", ...examples.values()]
        : []),
    ].join("\n"),
  );
});

describe(`OpenAPI fuzz (FUZZ_SEED=${seed}, ${runs} cases per operation)`, () => {
  it("finds the operations in the served document", () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  for (const operation of operations) {
    it(`${operation.name}: no 5xx, every 4xx problem+json, every status documented, still healthy`, async () => {
      const statuses = new Map<number, number>();
      seen.set(operation.name, statuses);
      const property = fc.asyncProperty(requestsFor(operation, ground), async (request) => {
        const answer = await send(gatewayUrl, request);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const broken = brokenPromises(answer);
        // The edge's answers (400, 408, 413, 414, 431) included: the document lists them all.
        if (request.routed && !documents(operation, answer.status)) {
          undocumented.set(
            operation.name,
            (undocumented.get(operation.name) ?? new Set()).add(answer.status),
          );
          if (!examples.has(answer.status)) examples.set(answer.status, described(request, answer));
          broken.push(`a ${answer.status}, which the document does not list for ${operation.name}`);
        }
        if (broken.length > 0) throw new Error(`${broken.join("; ")}\n${described(request, answer)}`);
      });
      // Shrinking re-sends requests: a few steps are enough to read the case.
      await fc.assert(property, {
        seed,
        numRuns: runs,
        endOnFailure: false,
        interruptAfterTimeLimit: 25_000,
      });
      const health = await fetch(new URL("/healthz", gatewayUrl));
      expect(health.status).toBe(200);
    });
  }
});
