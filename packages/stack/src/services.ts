import { createAuthService, loadAuthEnv } from "@instagram/auth-service";
import { createCommentService, loadCommentEnv } from "@instagram/comment-service";
import { createGatewayService, loadGatewayEnv } from "@instagram/gateway";
import { createImageService, loadImageEnv } from "@instagram/image-service";
import type { Environment, ServiceModule } from "@instagram/kit";
import { createUserService, loadUserEnv } from "@instagram/user-service";

export type ServiceName = "auth" | "user" | "image" | "comment" | "gateway";

export interface ServiceEntry {
  name: ServiceName;
  defaultPort: number;
  /** Node entry of the distributed mode, relative to the repository root. */
  main: string;
  /** The environment variable other services read this one's address from. */
  urlVariable?: string;
  /**
   * Start order: a wave starts once every service of the previous one is ready; the services of
   * one wave may start together (distributed mode). auth first (it holds the signing key everyone
   * trusts), the gateway last (it calls everyone).
   */
  wave: number;
  create(env: Environment): ServiceModule;
}

export const services: readonly ServiceEntry[] = [
  {
    name: "auth",
    wave: 0,
    defaultPort: 8081,
    main: "packages/auth-service/src/main.ts",
    urlVariable: "AUTH_SERVICE_URL",
    create: (env) => createAuthService(loadAuthEnv(env)),
  },
  {
    name: "user",
    wave: 1,
    defaultPort: 8082,
    main: "packages/user-service/src/main.ts",
    urlVariable: "USER_SERVICE_URL",
    create: (env) => createUserService(loadUserEnv(env)),
  },
  {
    name: "image",
    wave: 1,
    defaultPort: 8083,
    main: "packages/image-service/src/main.ts",
    urlVariable: "IMAGE_SERVICE_URL",
    create: (env) => createImageService(loadImageEnv(env)),
  },
  {
    name: "comment",
    wave: 1,
    defaultPort: 8084,
    main: "packages/comment-service/src/main.ts",
    urlVariable: "COMMENT_SERVICE_URL",
    create: (env) => createCommentService(loadCommentEnv(env)),
  },
  {
    name: "gateway",
    wave: 2,
    defaultPort: 8080,
    main: "packages/gateway/src/main.ts",
    create: (env) => createGatewayService(loadGatewayEnv(env)),
  },
];

export type Ports = Partial<Record<ServiceName, number>>;

export function portOf(entry: ServiceEntry, ports: Ports | undefined): number {
  return ports?.[entry.name] ?? entry.defaultPort;
}

/** `*_SERVICE_URL` for every service of the stack, as static discovery reads them. */
export function serviceUrlVariables(urls: Partial<Record<ServiceName, string>>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const entry of services) {
    const url = urls[entry.name];
    if (entry.urlVariable && url) variables[entry.urlVariable] = url;
  }
  return variables;
}

/** The services grouped by wave, in start order. */
export function startWaves(): ServiceEntry[][] {
  const waves = new Map<number, ServiceEntry[]>();
  for (const entry of services) waves.set(entry.wave, [...(waves.get(entry.wave) ?? []), entry]);
  return [...waves.entries()].sort(([a], [b]) => a - b).map(([, entries]) => entries);
}
