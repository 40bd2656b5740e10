import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commonEnvSchema } from "../config/common-env.ts";
import { ConfigError, parseEnv } from "../config/parse-env.ts";
import { acceptedServiceKeysOf, serviceKeyOf } from "./key-source.ts";
import { generateServiceKey, serviceKeyBytes } from "./service-key.ts";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const envOf = (values: Record<string, string>) => parseEnv(commonEnvSchema, values);

describe("serviceKeyOf", () => {
  it("takes SERVICE_TOKEN_KEY when set", async () => {
    const text = generateServiceKey();
    expect(
      await serviceKeyOf(envOf({ SERVICE_TOKEN_KEY: text, CONSUL_HTTP_ADDR: "consul:8500" }), "user"),
    ).toEqual(serviceKeyBytes(text));
  });

  it("creates the dev default under DATA_DIR once; processes sharing DATA_DIR agree", async () => {
    dir = await mkdtemp(join(tmpdir(), "service-key-"));
    const env = envOf({ DATA_DIR: dir });
    const keys = await Promise.all(
      ["auth", "user", "image", "gateway"].map((name) => serviceKeyOf(env, name)),
    );
    for (const key of keys) expect(key).toEqual(keys[0]);
    const path = join(dir, "keys", "service-token-key");
    expect(serviceKeyBytes(await readFile(path, "utf8"))).toEqual(keys[0]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("refuses to start without a key when a peer is on another host, naming the variable", async () => {
    dir = await mkdtemp(join(tmpdir(), "service-key-"));
    const remote = envOf({ DATA_DIR: dir, USER_SERVICE_URL: "http://user-service:8082" });
    const error = await serviceKeyOf(remote, "gateway").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /SERVICE_TOKEN_KEY: required by gateway.*USER_SERVICE_URL=http:\/\/user-service:8082/,
    );
    const consul = await serviceKeyOf(
      envOf({ DATA_DIR: dir, CONSUL_HTTP_ADDR: "consul:8500" }),
      "user",
    ).catch((caught: unknown) => caught);
    expect(consul).toBeInstanceOf(ConfigError);
  });

  it("takes SERVICE_TOKEN_KEY_FILE, shared by every service, wherever the peers are", async () => {
    dir = await mkdtemp(join(tmpdir(), "service-key-"));
    const env = envOf({
      SERVICE_TOKEN_KEY_FILE: join(dir, "shared", "key"),
      CONSUL_HTTP_ADDR: "consul:8500",
    });
    expect(await serviceKeyOf(env, "user")).toEqual(await serviceKeyOf(env, "image"));
  });

  it("refuses a key that is too short, without showing it", () => {
    const short = Buffer.alloc(16, 1).toString("base64");
    expect(() => envOf({ SERVICE_TOKEN_KEY: short })).toThrow(
      /SERVICE_TOKEN_KEY: expected at least 32 random bytes.*\(got a value \(hidden\)\)/,
    );
  });
});

describe("acceptedServiceKeysOf", () => {
  it("reads the keys of a rotation in progress, none when unset", () => {
    const [a, b] = [generateServiceKey(), generateServiceKey()];
    expect(acceptedServiceKeysOf(envOf({}))).toEqual([]);
    expect(acceptedServiceKeysOf(envOf({ SERVICE_TOKEN_ACCEPTED_KEYS: `${a}, ${b}` }))).toEqual([
      serviceKeyBytes(a),
      serviceKeyBytes(b),
    ]);
  });

  it("refuses a list with a short key, without showing any", () => {
    const short = Buffer.alloc(16, 1).toString("base64");
    expect(() => envOf({ SERVICE_TOKEN_ACCEPTED_KEYS: `${generateServiceKey()},${short}` })).toThrow(
      /SERVICE_TOKEN_ACCEPTED_KEYS: expected comma-separated keys.*\(got a value \(hidden\)\)/,
    );
  });
});
