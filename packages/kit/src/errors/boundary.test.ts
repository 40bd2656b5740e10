import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.ts";
import { toConnectError } from "./connect-boundary.ts";
import { DomainError, invalidField } from "./domain-error.ts";
import { fieldErrorsOf } from "./field-errors.ts";
import { problemOfConnectError, problemOfError } from "./problem.ts";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("one error boundary", () => {
  it("gives a DomainError its Connect code, field problems and retry-after", () => {
    const error = toConnectError(
      new DomainError("too-many-requests", "slow down", { retryAfterSeconds: 7 }),
      silentLogger,
    );
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.metadata.get("retry-after")).toBe("7");
    const invalid = toConnectError(invalidField("username", "is taken"), silentLogger);
    expect(invalid.code).toBe(Code.InvalidArgument);
    expect(fieldErrorsOf(invalid)).toEqual([{ path: "username", message: "is taken" }]);
  });

  it("turns a transient fault into Unavailable and hides anything else as Internal", () => {
    expect(toConnectError(refused, silentLogger).code).toBe(Code.Unavailable);
    const hidden = toConnectError(new Error('relation "secret" does not exist'), silentLogger);
    expect(hidden.code).toBe(Code.Internal);
    expect(hidden.rawMessage).not.toContain("secret");
  });

  it("answers the same refusal with the same status through both doors", () => {
    for (const kind of [
      "invalid-input",
      "forbidden",
      "not-found",
      "conflict",
      "too-many-requests",
    ] as const) {
      const direct = problemOfError(new DomainError(kind, "no"), silentLogger);
      const relayed = problemOfConnectError(toConnectError(new DomainError(kind, "no"), silentLogger));
      expect(relayed.problem.status).toBe(direct.problem.status);
      expect(relayed.problem.detail).toBe("no");
    }
  });

  it("answers a database that is away with 503 and Retry-After, through both doors", () => {
    const direct = problemOfError(refused, silentLogger);
    expect(direct.problem.status).toBe(503);
    expect(direct.headers["retry-after"]).toBe("1");
    const relayed = problemOfConnectError(toConnectError(refused, silentLogger));
    expect(relayed.problem.status).toBe(503);
    expect(relayed.headers["retry-after"]).toBe("1");
    expect(relayed.problem.detail).not.toContain("ECONNREFUSED");
  });

  it("answers an unexpected error with a bare 500", () => {
    const answer = problemOfError(new Error("null pointer at db/x.ts:12"), silentLogger);
    expect(answer.problem).toMatchObject({ status: 500, detail: "The server failed to handle the request." });
    expect(problemOfConnectError(new ConnectError("bug", Code.Internal)).problem.status).toBe(500);
  });
});
