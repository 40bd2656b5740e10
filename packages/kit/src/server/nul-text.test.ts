import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "../errors/field-errors.ts";
import { refuseNulText } from "./nul-text.ts";

function client(reached: string[]) {
  return createClient(
    AuthService,
    createRouterTransport(
      (router) =>
        router.service(AuthService, {
          async login(request) {
            reached.push(request.username);
            return {};
          },
        }),
      { router: { interceptors: [refuseNulText] } },
    ),
  );
}

describe("refuseNulText", () => {
  it("refuses a NUL in a string field with InvalidArgument naming the field, before the handler", async () => {
    const reached: string[] = [];
    const failure = await client(reached)
      .login({ username: "ali\u0000ce", password: "pass\u0000word" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as ConnectError).code).toBe(Code.InvalidArgument);
    expect(fieldErrorsOf(failure as ConnectError).map((error) => error.path)).toEqual([
      "username",
      "password",
    ]);
    expect(reached).toEqual([]);
  });

  it("lets other text through, control characters other than NUL included", async () => {
    const reached: string[] = [];
    await client(reached).login({ username: "alice\ttab ünïcode", password: "x" });
    expect(reached).toEqual(["alice\ttab ünïcode"]);
  });
});
