import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commonEnvSchema } from "../config/common-env.ts";
import { parseEnv } from "../config/parse-env.ts";
import { createRuntimeFromEnv } from "./runtime-from-env.ts";

describe("createRuntimeFromEnv", () => {
  it("without Consul, resolves services from the *_SERVICE_URL addresses", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kit-runtime-"));
    const env = parseEnv(commonEnvSchema, {
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      USER_SERVICE_URL: "http://user.internal:9000",
    });
    const runtime = await createRuntimeFromEnv(env, "image");
    try {
      expect(runtime.dataDir).toBe(dataDir);
      expect(await runtime.discovery.resolve("user")).toEqual(["http://user.internal:9000"]);
      expect(await runtime.discovery.resolve("auth")).toEqual(["http://127.0.0.1:8081"]);
      await expect(runtime.bus.ping()).resolves.toBeUndefined();
    } finally {
      await runtime.close?.();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
