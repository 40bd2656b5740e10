import { describe, expect, it } from "vitest";
import { assignTasks, openLoopSchedule, pollDelay, SettleBook, type SettleSession } from "./event-settle.ts";

function actor(name: string, likes: number, follows: number): SettleSession {
  return {
    id: `${name}-id`,
    username: name,
    accessToken: `${name}-token`,
    like: Array.from({ length: likes }, (_, i) => `${name}-image-${i}`),
    follow: Array.from({ length: follows }, (_, i) => ({
      id: `${name}-followee-${i}`,
      username: `${name}_followee_${i}`,
      imageId: `${name}-newest-${i}`,
    })),
  };
}

describe("openLoopSchedule", () => {
  it("spaces rate × duration requests evenly, whatever the answers", () => {
    const schedule = openLoopSchedule(200, 10);
    expect(schedule.length).toBe(2000);
    expect(schedule[0]).toBe(0);
    expect(schedule[1]).toBe(5);
    expect(schedule[1999]).toBeCloseTo(9995);
  });

  it("is empty for no rate or no time", () => {
    expect(openLoopSchedule(0, 10)).toEqual([]);
    expect(openLoopSchedule(200, 0)).toEqual([]);
  });
});

describe("pollDelay", () => {
  it("polls at the interval at first, then at a tenth of the time waited", () => {
    expect(pollDelay(20, 0)).toBe(20);
    expect(pollDelay(20, 150)).toBe(20);
    expect(pollDelay(20, 1000)).toBe(100);
    expect(pollDelay(20, 8000)).toBe(800);
  });
});

describe("assignTasks", () => {
  it("takes writes round-robin over the actors, each prepared write once", () => {
    const actors = [actor("a", 3, 1), actor("b", 1, 2)];
    const likes = assignTasks(actors, "like", 10);
    expect(likes.map((task) => task.target)).toEqual(["a-image-0", "b-image-0", "a-image-1", "a-image-2"]);
    expect(likes.map((task) => task.actor.username)).toEqual(["a", "b", "a", "a"]);
    const follows = assignTasks(actors, "follow", 2);
    expect(
      follows.map((task) => (typeof task.target === "string" ? task.target : task.target.username)),
    ).toEqual(["a_followee_0", "b_followee_0"]);
  });
});

describe("SettleBook", () => {
  it("summarises settle times and counts failures by reason", () => {
    const book = new SettleBook();
    for (let i = 1; i <= 100; i++) {
      book.started(i === 1 ? -3 : 1);
      book.answered(2);
      if (i <= 97) book.settled(i);
    }
    book.failed("not visible in time");
    book.failed("not visible in time");
    book.failed("write 500");
    const result = book.result("follow");
    expect(result.count).toBe(100);
    expect(result.settled).toBe(97);
    expect(result.failures).toBe(3);
    expect(result.failureReasons).toEqual({ "not visible in time": 2, "write 500": 1 });
    expect(result.settle.p50).toBe(49);
    expect(result.settle.p99).toBeCloseTo(96.04);
    expect(result.lag.min).toBe(0);
  });

  it("reports NaN percentiles, not zeros, when nothing settled", () => {
    const book = new SettleBook();
    book.started(0);
    book.failed("request error");
    const result = book.result("like");
    expect(result.settled).toBe(0);
    expect(Number.isNaN(result.settle.p50)).toBe(true);
  });
});
