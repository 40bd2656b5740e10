import { ConfigError } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { loadAuthEnv } from "./env.ts";

function configProblems(env: Record<string, string>): readonly string[] {
  try {
    loadAuthEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadAuthEnv", () => {
  it("has auth-service's defaults", () => {
    expect(loadAuthEnv({})).toMatchObject({
      PORT: 8081,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 2_592_000,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_FAILURE_WINDOW_SECONDS: 900,
      SESSION_RETENTION_SECONDS: 604_800,
      SESSION_SWEEP_EVERY_SECONDS: 300,
      JWT_ISSUER: "instagram-clone",
    });
    expect(loadAuthEnv({}).JWT_PRIVATE_KEY).toBeUndefined();
  });

  it("reads the variables it is given", () => {
    const env = loadAuthEnv({
      PORT: "9001",
      ACCESS_TOKEN_TTL_SECONDS: "300",
      JWT_PRIVATE_KEY: '{"kty":"OKP"}',
    });
    expect(env).toMatchObject({
      PORT: 9001,
      ACCESS_TOKEN_TTL_SECONDS: 300,
      JWT_PRIVATE_KEY: '{"kty":"OKP"}',
    });
  });

  it("refuses access tokens living longer than 15 minutes, naming the variable", () => {
    const [problem, ...more] = configProblems({ ACCESS_TOKEN_TTL_SECONDS: "901" });
    expect(more).toEqual([]);
    expect(problem).toMatch(/^ACCESS_TOKEN_TTL_SECONDS: must be at most 900 seconds/);
  });

  it("refuses a signing key that is not a JSON object without echoing it", () => {
    const problems = configProblems({ JWT_PRIVATE_KEY: "secret-material-not-json" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^JWT_PRIVATE_KEY: /);
    expect(problems.join("\n")).not.toContain("secret-material");
  });

  it("names every bad variable at once", () => {
    const problems = configProblems({
      PORT: "http",
      REFRESH_TOKEN_TTL_SECONDS: "0",
      LOGIN_MAX_FAILURES: "x",
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "PORT",
      "REFRESH_TOKEN_TTL_SECONDS",
      "LOGIN_MAX_FAILURES",
    ]);
  });
});
