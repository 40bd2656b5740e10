import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { isTransientFault } from "./transient.ts";

function withCode(code: string, message = "failed"): Error {
  return Object.assign(new Error(message), { code });
}

describe("isTransientFault", () => {
  it.each([
    ["a refused connection", withCode("ECONNREFUSED")],
    ["a connection the driver saw closed", withCode("CONNECTION_CLOSED")],
    ["a connect timeout", withCode("CONNECT_TIMEOUT")],
    ["admin shutdown (57P01)", withCode("57P01")],
    ["cannot connect now (57P03)", withCode("57P03")],
    ["a connection exception (08006)", withCode("08006")],
    ["too many connections (53300)", withCode("53300")],
    ["a serialization failure (40001)", withCode("40001")],
    ["a deadlock (40P01)", withCode("40P01")],
    ["a peer Unavailable", new ConnectError("down", Code.Unavailable)],
    ["a peer past its deadline", new ConnectError("slow", Code.DeadlineExceeded)],
    ["a retriable kafkajs error", Object.assign(new Error("leader not available"), { retriable: true })],
  ])("is true for %s", (_, error) => {
    expect(isTransientFault(error)).toBe(true);
  });

  it("looks through the cause chain (drizzle wraps the driver's error)", () => {
    const wrapped = new Error("Failed query: select 1", { cause: withCode("ECONNREFUSED") });
    expect(isTransientFault(wrapped)).toBe(true);
  });

  it.each([
    ["a unique violation (23505)", withCode("23505")],
    ["invalid text (22021: a NUL byte)", withCode("22021")],
    ["a query canceled by statement timeout (57014)", withCode("57014")],
    ["a peer's InvalidArgument", new ConnectError("bad", Code.InvalidArgument)],
    ["a peer's Internal", new ConnectError("bug", Code.Internal)],
    ["a TypeError", new TypeError("x is undefined")],
    ["a string", "boom"],
    ["undefined", undefined],
  ])("is false for %s", (_, error) => {
    expect(isTransientFault(error)).toBe(false);
  });
});
