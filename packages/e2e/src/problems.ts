import { expect } from "vitest";
import type { Problem, Reply } from "./client.ts";

/** Asserts an RFC 9457 answer with this status that leaks nothing internal. */
export function expectProblem(reply: Reply<unknown>, status: number): Problem {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const problem = reply.body as Problem;
  expect(problem.status).toBe(status);
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.type).toBe("string");
  expect(reply.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|SQLSTATE|select .* from|127\.0\.0\.1:\d+/i);
  return problem;
}

/** The paths named by a 400's field problems. */
export function problemPaths(problem: Problem): string[] {
  return (problem.errors ?? []).map((error) => error.path);
}
