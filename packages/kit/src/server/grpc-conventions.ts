import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { Health } from "@instagram/contracts/grpc";
import type { FetchApp } from "./fetch-app.ts";
import { registerHealth } from "./grpc-health.ts";
import { reflectionServices, registerReflection, ServerDescription } from "./grpc-reflection.ts";

export interface GrpcConventions {
  /** Throws when the server is not ready; see readinessOf. */
  readiness: () => Promise<void>;
  /** Ends the health Watch streams (the server is stopping). */
  stopping?: AbortSignal;
}

/**
 * A server's gRPC routes plus what every gRPC server is expected to serve: grpc.health.v1.Health
 * and server reflection (v1, v1alpha) describing all of them. `routes` may be absent (the
 * gateway serves no RPC of its own over gRPC): then only those two.
 */
export function withGrpcConventions(
  routes: ((router: ConnectRouter) => void) | undefined,
  conventions: GrpcConventions,
): (router: ConnectRouter) => void {
  return (router) => {
    routes?.(router);
    const served = [...new Set<DescService>(router.handlers.map((handler) => handler.service))];
    registerHealth(router, {
      services: served.map((service) => service.typeName),
      readiness: conventions.readiness,
      stopping: conventions.stopping,
    });
    registerReflection(router, new ServerDescription([...served, Health, ...reflectionServices]));
  };
}

/** The readiness of an app with the kit's operations routes: its own GET /readyz, answered in process. */
export function readinessOf(app: FetchApp): () => Promise<void> {
  return async () => {
    const answer = await app.fetch(new Request("http://localhost/readyz"));
    await answer.body?.cancel();
    if (!answer.ok) throw new Error(`/readyz answered ${answer.status}`);
  };
}
