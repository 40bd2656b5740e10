import type { Transport } from "@connectrpc/connect";
import {
  authServiceJwks,
  authServiceRevokedSessions,
  createAccessTokenVerifier,
  createLoginThrottle,
  createServiceTransport,
  type Discovery,
  type ServiceModule,
} from "@instagram/kit";
import { createApp } from "./app.ts";
import { clientAddressOf } from "./client-address.ts";
import type { GatewayEnv } from "./env.ts";
import { imageServiceHttpVia } from "./peers/image-service-http.ts";
import { nodeUploadRelay } from "./peers/node-upload-relay.ts";
import type { ServiceTransports } from "./peers/service-clients.ts";

export { type GatewayEnv, gatewayEnvSchema, loadGatewayEnv } from "./env.ts";

/** The gateway is ready when an instance of each service it needs answers its health check. */
function readinessOf(discovery: Discovery, services: string[]): () => Promise<void> {
  return async () => {
    await Promise.all(
      services.map(async (service) => {
        const [url] = await discovery.resolve(service);
        if (!url) throw new Error(`no instance of ${service}`);
        const answer = await fetch(new URL("/healthz", url), { signal: AbortSignal.timeout(2000) });
        if (!answer.ok) throw new Error(`${service} answered /healthz with ${answer.status}`);
      }),
    );
  };
}

export function createGatewayService(env: GatewayEnv): ServiceModule {
  return {
    name: "gateway",
    async start(ctx) {
      const { discovery, instances } = ctx.runtime;
      const transport = (service: string): Transport =>
        createServiceTransport({ discovery, service, timeoutMs: env.SERVICE_CALL_TIMEOUT_MS, instances });
      const transports: ServiceTransports = {
        auth: transport("auth"),
        user: transport("user"),
        image: transport("image"),
        comment: transport("comment"),
      };
      const verifier = createAccessTokenVerifier({
        issuer: env.JWT_ISSUER,
        jwks: authServiceJwks(discovery, { instances }),
        revokedSessions: authServiceRevokedSessions(discovery, { instances }),
      });
      const app = createApp({
        transports,
        imageFiles: imageServiceHttpVia(discovery, { uploads: nodeUploadRelay() }),
        verifier,
        logger: ctx.logger,
        loginThrottle: createLoginThrottle({
          account: {
            maxFailures: env.LOGIN_RATE_ACCOUNT_MAX_FAILURES,
            windowSeconds: env.LOGIN_RATE_ACCOUNT_WINDOW_SECONDS,
          },
          client: {
            maxAttempts: env.LOGIN_RATE_CLIENT_MAX_ATTEMPTS,
            windowSeconds: env.LOGIN_RATE_CLIENT_WINDOW_SECONDS,
          },
        }),
        clientAddress: clientAddressOf({ trustedProxy: env.TRUSTED_PROXY }),
        corsOrigins: env.CORS_ORIGINS,
        maxJsonBodyBytes: env.MAX_JSON_BODY_BYTES,
        maxUploadBytes: env.MAX_UPLOAD_BYTES,
        metricsToken: env.METRICS_TOKEN,
        readiness: readinessOf(discovery, ["auth", "user", "image", "comment"]),
      });
      return { app };
    },
  };
}
