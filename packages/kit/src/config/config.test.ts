import { describe, expect, it } from "vitest";
import { z } from "zod";
import { commonEnvSchema } from "./common-env.ts";
import { ConfigError, parseEnv } from "./parse-env.ts";

const authEnvSchema = commonEnvSchema.extend({
  PORT: commonEnvSchema.shape.PORT.default(8081),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
});

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseEnv", () => {
  it("applies the defaults of an empty environment", () => {
    const env = parseEnv(authEnvSchema, {});
    expect(env).toMatchObject({
      PORT: 8081,
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      DATA_DIR: ".data",
      JWT_ISSUER: "instagram-clone",
      AUTH_SERVICE_URL: "http://127.0.0.1:8081",
      USER_SERVICE_URL: "http://127.0.0.1:8082",
      IMAGE_SERVICE_URL: "http://127.0.0.1:8083",
      COMMENT_SERVICE_URL: "http://127.0.0.1:8084",
      ACCESS_TOKEN_TTL_SECONDS: 900,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.KAFKA_BROKERS).toBeUndefined();
    expect(env.CONSUL_HTTP_ADDR).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it("reads and coerces given values, treating empty ones as unset", () => {
    const env = parseEnv(authEnvSchema, {
      PORT: "9001",
      DATABASE_URL: "postgres://app:secret@db:5432/instagram",
      KAFKA_BROKERS: "k1:9092,k2:9092",
      CONSUL_HTTP_ADDR: "consul:8500",
      LOG_LEVEL: "",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_SERVICE_NAME: "auth-eu",
      UNRELATED: "ignored",
    });
    expect(env).toMatchObject({
      PORT: 9001,
      KAFKA_BROKERS: "k1:9092,k2:9092",
      LOG_LEVEL: "info",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_SERVICE_NAME: "auth-eu",
    });
    expect(env).not.toHaveProperty("UNRELATED");
  });

  it("names every bad variable and what was expected", () => {
    const error = errorOf(() =>
      parseEnv(authEnvSchema, {
        PORT: "eighty",
        DATABASE_URL: "mysql://db/app",
        LOG_LEVEL: "loud",
        KAFKA_BROKERS: "k1",
        AUTH_SERVICE_URL: "not a url",
        ACCESS_TOKEN_TTL_SECONDS: "-5",
        OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
      }),
    );
    const byVariable = new Map(error.problems.map((problem) => [problem.split(":")[0], problem]));
    expect([...byVariable.keys()].sort()).toEqual(
      [
        "ACCESS_TOKEN_TTL_SECONDS",
        "AUTH_SERVICE_URL",
        "DATABASE_URL",
        "KAFKA_BROKERS",
        "LOG_LEVEL",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "PORT",
      ].sort(),
    );
    expect(byVariable.get("PORT")).toMatch(/port number.*"eighty"/);
    expect(byVariable.get("DATABASE_URL")).toMatch(/postgres:\/\//);
    expect(byVariable.get("LOG_LEVEL")).toMatch(/one of fatal, error/);
    expect(byVariable.get("KAFKA_BROKERS")).toMatch(/host:port/);
    expect(byVariable.get("AUTH_SERVICE_URL")).toMatch(/http\(s\) URL/);
    expect(byVariable.get("OTEL_EXPORTER_OTLP_ENDPOINT")).toMatch(/http\(s\) URL.*4318/);
    for (const variable of byVariable.keys()) expect(error.message).toContain(variable);
  });

  it("reports a required variable that is missing", () => {
    const schema = z.object({
      JWT_SIGNING_KEY_FILE: z.string({ error: "required: path of the signing key" }),
    });
    const error = errorOf(() => parseEnv(schema, { JWT_SIGNING_KEY_FILE: "" }));
    expect(error.message).toContain("JWT_SIGNING_KEY_FILE: required: path of the signing key (unset)");
  });
});

describe("ConfigError messages", () => {
  it("never echo passwords or secrets", () => {
    const schema = commonEnvSchema.extend({
      JWT_SECRET: z.string().min(32, "expected at least 32 characters"),
    });
    const error = errorOf(() =>
      parseEnv(schema, { DATABASE_URL: "mysql://app:hunter2@db/app", JWT_SECRET: "short-secret" }),
    );
    expect(error.message).toContain("DATABASE_URL");
    expect(error.message).toContain("JWT_SECRET");
    expect(error.message).not.toContain("hunter2");
    expect(error.message).not.toContain("short-secret");
  });
});
