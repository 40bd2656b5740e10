import { describe, expect, it } from "vitest";
import { judgeLoginAttempt, lockoutSubjectOf, windowOpenedBefore } from "./login-lockout.ts";

const rule = { maxFailures: 5, windowSeconds: 900 };
const opened = new Date("2026-03-01T10:00:00Z");
const at = (seconds: number) => new Date(opened.getTime() + seconds * 1000);

describe("judgeLoginAttempt", () => {
  it("admits up to maxFailures attempts in a window, the last one included", () => {
    for (let attempts = 1; attempts <= rule.maxFailures; attempts++) {
      expect(judgeLoginAttempt({ attempts, windowStartedAt: opened }, rule, at(10))).toEqual({
        admitted: true,
      });
    }
  });

  it("refuses past them until the window closes, in whole seconds, at least one", () => {
    const count = { attempts: rule.maxFailures + 1, windowStartedAt: opened };
    expect(judgeLoginAttempt(count, rule, opened)).toEqual({ admitted: false, retryAfterSeconds: 900 });
    expect(judgeLoginAttempt(count, rule, at(299.5))).toEqual({ admitted: false, retryAfterSeconds: 601 });
    expect(judgeLoginAttempt(count, rule, at(899.9))).toEqual({ admitted: false, retryAfterSeconds: 1 });
  });

  it("a window is over once windowSeconds have passed since it opened", () => {
    expect(windowOpenedBefore(rule, at(900)).getTime()).toBe(opened.getTime());
  });
});

describe("lockoutSubjectOf", () => {
  it("counts a known account by its id, whatever name was typed", async () => {
    expect(await lockoutSubjectOf({ id: "a1" }, "gwen")).toBe("account:a1");
    expect(await lockoutSubjectOf({ id: "a1" }, "gwen@example.com")).toBe("account:a1");
  });

  it("counts an unknown name by its SHA-256, never the name itself", async () => {
    const subject = await lockoutSubjectOf(undefined, "correct horse battery");
    expect(subject).toMatch(/^name:[0-9a-f]{64}$/);
    expect(subject).not.toContain("horse");
    expect(await lockoutSubjectOf(undefined, "correct horse battery")).toBe(subject);
    expect(await lockoutSubjectOf(undefined, "nobody")).not.toBe(subject);
  });
});
