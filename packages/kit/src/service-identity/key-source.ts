import { join } from "node:path";
import type { CommonEnv } from "../config/common-env.ts";
import { ConfigError } from "../config/parse-env.ts";
import { loadOrCreateSecretFile } from "./secret-file.ts";
import { generateServiceKey, serviceKeyBytes } from "./service-key.ts";

type KeyEnv = Pick<
  CommonEnv,
  | "SERVICE_TOKEN_KEY"
  | "SERVICE_TOKEN_KEY_FILE"
  | "SERVICE_TOKEN_ACCEPTED_KEYS"
  | "DATA_DIR"
  | "CONSUL_HTTP_ADDR"
  | "AUTH_SERVICE_URL"
  | "USER_SERVICE_URL"
  | "IMAGE_SERVICE_URL"
  | "COMMENT_SERVICE_URL"
>;

/**
 * The deployment's service-token key: SERVICE_TOKEN_KEY; else the file SERVICE_TOKEN_KEY_FILE
 * (created with a new key at first start); else, while every peer is on this machine, the dev
 * default DATA_DIR/keys/service-token-key — processes sharing DATA_DIR share it. A process whose
 * peers are elsewhere (Consul, or a peer URL on another host) cannot share a directory with them
 * and refuses to start without one of the two variables.
 */
export async function serviceKeyOf(env: KeyEnv, service: string): Promise<Uint8Array> {
  if (env.SERVICE_TOKEN_KEY !== undefined) return keyOf(env.SERVICE_TOKEN_KEY, "SERVICE_TOKEN_KEY");
  let path = env.SERVICE_TOKEN_KEY_FILE;
  if (path === undefined) {
    const remote = remotePeer(env);
    if (remote !== undefined) {
      throw new ConfigError([
        `SERVICE_TOKEN_KEY: required by ${service}, whose peers are not on this machine (${remote}): ` +
          "every service of the deployment must be given the same key, e.g. from `openssl rand -base64 32` " +
          "(or SERVICE_TOKEN_KEY_FILE: a file they all read) (unset)",
      ]);
    }
    path = join(env.DATA_DIR, "keys", "service-token-key");
  }
  return keyOf(await loadOrCreateSecretFile(path, async () => `${generateServiceKey()}\n`), path);
}

/** The keys accepted beside the deployment's own during a rotation (SERVICE_TOKEN_ACCEPTED_KEYS). */
export function acceptedServiceKeysOf(env: Pick<KeyEnv, "SERVICE_TOKEN_ACCEPTED_KEYS">): Uint8Array[] {
  const listed = env.SERVICE_TOKEN_ACCEPTED_KEYS;
  if (listed === undefined) return [];
  return listed.split(",").map((text) => keyOf(text.trim(), "SERVICE_TOKEN_ACCEPTED_KEYS"));
}

function keyOf(text: string, source: string): Uint8Array {
  const key = serviceKeyBytes(text);
  if (key === undefined) {
    throw new ConfigError([
      `${source}: expected at least 32 random bytes, base64 or base64url encoded (value not shown)`,
    ]);
  }
  return key;
}

/** The first peer address that is not this machine's, if any. */
function remotePeer(env: KeyEnv): string | undefined {
  if (env.CONSUL_HTTP_ADDR !== undefined) return `CONSUL_HTTP_ADDR=${env.CONSUL_HTTP_ADDR}`;
  const peers = {
    AUTH_SERVICE_URL: env.AUTH_SERVICE_URL,
    USER_SERVICE_URL: env.USER_SERVICE_URL,
    IMAGE_SERVICE_URL: env.IMAGE_SERVICE_URL,
    COMMENT_SERVICE_URL: env.COMMENT_SERVICE_URL,
  };
  for (const [variable, urls] of Object.entries(peers)) {
    for (const url of urls.split(",")) {
      if (!isLoopback(new URL(url.trim()).hostname)) return `${variable}=${url.trim()}`;
    }
  }
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}
