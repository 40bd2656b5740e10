import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commonEnvSchema } from "../config/common-env.ts";
import { ConfigError, parseEnv } from "../config/parse-env.ts";
import { generateServiceKey, serviceKeyBytes } from "../service-identity/service-key.ts";
import { createServiceTokenSigner, createServiceTokenVerifier } from "../service-identity/service-tokens.ts";
import { createRuntimeFromEnv } from "./runtime-from-env.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function envOf(variables: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), "kit-runtime-"));
  dirs.push(dataDir);
  return parseEnv(commonEnvSchema, { DATA_DIR: dataDir, LOG_LEVEL: "silent", ...variables });
}

describe("createRuntimeFromEnv", () => {
  it("without Consul, resolves services from the *_SERVICE_URL addresses, lists included", async () => {
    const env = await envOf({
      KAFKA_BROKERS: "127.0.0.1:1",
      USER_SERVICE_URL: "http://user.internal:9000",
      IMAGE_SERVICE_URL: "http://10.0.0.1:8083, http://10.0.0.2:8083/",
      COMMENT_SERVICE_URL: "http://localhost:8084",
      // Peers on other hosts: the service-token key must be given.
      SERVICE_TOKEN_KEY: generateServiceKey(),
    });
    const runtime = await createRuntimeFromEnv(env, "image");
    try {
      expect(runtime.dataDir).toBe(env.DATA_DIR);
      // a name that does not resolve is used as given (the call then fails as unreachable)
      expect(await runtime.discovery.resolve("user")).toEqual(["http://user.internal:9000"]);
      expect(await runtime.discovery.resolve("image")).toEqual([
        "http://10.0.0.1:8083",
        "http://10.0.0.2:8083",
      ]);
      expect(await runtime.discovery.resolve("comment")).toEqual(["http://localhost:8084"]);
      expect(await runtime.discovery.resolve("auth")).toEqual(["http://127.0.0.1:8081"]);
    } finally {
      await runtime.close?.();
    }
  });

  it("refuses to start a service without KAFKA_BROKERS, naming the variable", async () => {
    const env = await envOf({});
    const refusal = await createRuntimeFromEnv(env, "user").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ConfigError).problems).toHaveLength(1);
    expect((refusal as ConfigError).message).toMatch(/KAFKA_BROKERS: required by user-service/);
  });

  it("lets a process without events (the gateway) start without a broker, and refuses any use of the bus", async () => {
    const runtime = await createRuntimeFromEnv(await envOf({}), "gateway", { events: false });
    try {
      await expect(runtime.bus.ping()).resolves.toBeUndefined();
      await expect(runtime.bus.send([])).rejects.toThrow(/KAFKA_BROKERS/);
    } finally {
      await runtime.close?.();
    }
  });

  it("signs with SERVICE_TOKEN_KEY and also accepts tokens of SERVICE_TOKEN_ACCEPTED_KEYS", async () => {
    const [next, old, foreign] = [generateServiceKey(), generateServiceKey(), generateServiceKey()];
    const runtime = await createRuntimeFromEnv(
      await envOf({ SERVICE_TOKEN_KEY: next, SERVICE_TOKEN_ACCEPTED_KEYS: old }),
      "gateway",
      { events: false },
    );
    const tokenOf = (key: string) =>
      createServiceTokenSigner({ key: serviceKeyBytes(key) as Uint8Array, service: "user" }).token();
    try {
      const { identity } = runtime;
      expect(await identity.verifier.verify(await tokenOf(old))).toBe("user");
      expect(await identity.verifier.verify(await tokenOf(next))).toBe("user");
      await expect(identity.verifier.verify(await tokenOf(foreign))).rejects.toThrow("invalid service token");
      // Signed with SERVICE_TOKEN_KEY only: a service that knows nothing but the new key takes it.
      const onlyNext = createServiceTokenVerifier({ keys: [serviceKeyBytes(next) as Uint8Array] });
      expect(await onlyNext.verify(await identity.signerFor("gateway").token())).toBe("gateway");
    } finally {
      await runtime.close?.();
    }
  });
});
