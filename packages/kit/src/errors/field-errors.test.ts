import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { connectFailure } from "../testing/connect.ts";
import { FIELD_ERRORS_KEY, fieldErrorMetadata, fieldErrorsOf, invalidArgument } from "./field-errors.ts";

describe("field errors", () => {
  it("travel with a refused call and are read back on the client", async () => {
    const problems = [
      { path: "username", message: "must be 3 to 30 characters" },
      { path: "password", message: "is too short" },
    ];
    const client = createClient(
      AuthService,
      createRouterTransport((router) =>
        router.service(AuthService, {
          signUp: async () => {
            throw invalidArgument("the account is not valid", problems);
          },
        }),
      ),
    );
    const error = await connectFailure(client.signUp({}));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("the account is not valid");
    expect(fieldErrorsOf(error)).toEqual(problems);
  });

  it("add to other metadata, and leave it alone when there are none", () => {
    const metadata = fieldErrorMetadata([{ path: "email", message: "is taken" }], new Headers({ a: "1" }));
    expect(metadata.get("a")).toBe("1");
    expect(JSON.parse(metadata.get(FIELD_ERRORS_KEY) ?? "")).toEqual([
      { path: "email", message: "is taken" },
    ]);
    expect(fieldErrorMetadata([]).has(FIELD_ERRORS_KEY)).toBe(false);
  });

  it("read nothing from an error without them, or with malformed ones", () => {
    expect(fieldErrorsOf(new ConnectError("no", Code.NotFound))).toEqual([]);
    const malformed = (value: string) =>
      new ConnectError("bad", Code.InvalidArgument, new Headers({ [FIELD_ERRORS_KEY]: value }));
    expect(fieldErrorsOf(malformed("not json"))).toEqual([]);
    expect(fieldErrorsOf(malformed('{"path":"x"}'))).toEqual([]);
    expect(fieldErrorsOf(malformed('[{"path":"x","message":"y"},{"path":1},null]'))).toEqual([
      { path: "x", message: "y" },
    ]);
  });
});
