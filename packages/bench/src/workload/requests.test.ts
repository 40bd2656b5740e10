import { describe, expect, it } from "vitest";
import { skewedFollowees } from "./dataset.ts";
import { mixedRequest, mixedWeights, pickByWeight, readRequest } from "./requests.ts";

const dataset = {
  users: [
    { id: "u1", username: "alice", password: "p" },
    { id: "u2", username: "bob", password: "p" },
  ],
  imageIds: ["i1", "i2", "i3"],
  source: "test",
};
const viewers = [{ id: "u1", username: "alice", token: "t1" }];

describe("pickByWeight", () => {
  const entries = [
    { kind: "a", weight: 0.6 },
    { kind: "b", weight: 0.3 },
    { kind: "c", weight: 0.1 },
  ];

  it("picks the entry whose cumulative weight first exceeds the draw", () => {
    expect(pickByWeight(entries, 0).kind).toBe("a");
    expect(pickByWeight(entries, 0.59).kind).toBe("a");
    expect(pickByWeight(entries, 0.6).kind).toBe("b");
    expect(pickByWeight(entries, 0.95).kind).toBe("c");
    expect(pickByWeight(entries, 0.9999999).kind).toBe("c");
  });

  it("refuses an empty list", () => {
    expect(() => pickByWeight([], 0.5)).toThrow(RangeError);
  });
});

describe("the mixed workload", () => {
  it("weighs 60 % feed, 30 % user images, 10 % writes", () => {
    const total = mixedWeights.reduce((sum, entry) => sum + entry.weight, 0);
    expect(total).toBeCloseTo(1);
    const share = (kinds: string[]) =>
      mixedWeights
        .filter((entry) => kinds.includes(entry.kind))
        .reduce((sum, entry) => sum + entry.weight, 0);
    expect(share(["feed"])).toBeCloseTo(0.6);
    expect(share(["userImages"])).toBeCloseTo(0.3);
    expect(share(["like", "unlike", "comment"])).toBeCloseTo(0.1);
  });

  it("draws requests in those proportions", () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const { kind } = mixedRequest(viewers, dataset);
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    expect((counts.feed ?? 0) / 20_000).toBeCloseTo(0.6, 1);
    expect((counts.userImages ?? 0) / 20_000).toBeCloseTo(0.3, 1);
    expect(((counts.like ?? 0) + (counts.unlike ?? 0) + (counts.comment ?? 0)) / 20_000).toBeCloseTo(0.1, 1);
  });

  it("sends writes with the right method and a JSON comment", () => {
    for (let i = 0; i < 500; i++) {
      const request = mixedRequest(viewers, dataset);
      if (request.kind === "like") expect(request.method).toBe("PUT");
      if (request.kind === "unlike") expect(request.method).toBe("DELETE");
      if (request.kind === "comment") {
        expect(request.method).toBe("POST");
        expect(JSON.parse(request.body ?? "")).toHaveProperty("text");
      }
    }
  });
});

describe("readRequest", () => {
  it("asks about the dataset's users and images as a logged-in viewer", () => {
    expect(readRequest("feed", viewers, dataset)).toEqual({
      kind: "feed",
      method: "GET",
      token: "t1",
      path: "/v1/feed",
    });
    expect(readRequest("users", viewers, dataset).path).toMatch(/^\/v1\/users\/(alice|bob)$/);
    expect(readRequest("image", viewers, dataset).path).toMatch(/^\/v1\/images\/i[123]$/);
    expect(readRequest("userImages", viewers, dataset).path).toMatch(/^\/v1\/users\/(alice|bob)\/images$/);
  });
});

describe("skewedFollowees", () => {
  it("draws distinct others, favouring the first users", () => {
    const drawn = Array.from({ length: 200 }, (_, user) => skewedFollowees(user, 200, 10));
    for (const [user, followees] of drawn.entries()) {
      expect(new Set(followees).size).toBe(followees.length);
      expect(followees).not.toContain(user);
      expect(followees.length).toBeLessThanOrEqual(10);
    }
    const firstTenth = drawn.flat().filter((followee) => followee < 20).length;
    expect(firstTenth / drawn.flat().length).toBeGreaterThan(0.2); // uniform would be 0.1
  });
});
