import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  Health,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@instagram/contracts/grpc";

export interface HealthOptions {
  /** Fully-qualified names of the services served; "" (the server as a whole) is always known. */
  services: string[];
  /** Resolves when the server is ready, throws when not: the check /readyz runs. */
  readiness: () => Promise<void>;
  /** Ends every Watch stream, e.g. when the server stops. */
  stopping?: AbortSignal;
  /** How often a Watch stream checks again; default 5 s. */
  watchIntervalMs?: number;
}

/**
 * grpc.health.v1.Health: Check and Watch answer SERVING while `readiness` passes, NOT_SERVING
 * while it throws, so Kubernetes' gRPC probes and gRPC clients' health checks see what /readyz
 * says. Every service of the server shares that one status.
 */
export function registerHealth(router: ConnectRouter, opts: HealthOptions): void {
  const known = new Set(["", ...opts.services]);
  const intervalMs = opts.watchIntervalMs ?? 5_000;

  async function status(): Promise<ServingStatus> {
    try {
      await opts.readiness();
      return ServingStatus.SERVING;
    } catch {
      return ServingStatus.NOT_SERVING;
    }
  }

  router.service(Health, {
    async check(request) {
      if (!known.has(request.service)) {
        throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      }
      return { status: await status() };
    },
    async list() {
      const now = await status();
      const statuses: Record<string, HealthCheckResponse> = {};
      for (const name of known) statuses[name] = create(HealthCheckResponseSchema, { status: now });
      return { statuses };
    },
    async *watch(request, ctx) {
      const ended = anySignal(ctx.signal, opts.stopping);
      if (!known.has(request.service)) {
        // The protocol keeps the stream open: the service might appear later (here it never does).
        yield { status: ServingStatus.SERVICE_UNKNOWN };
        await pause(Number.POSITIVE_INFINITY, ended);
        return;
      }
      let last: ServingStatus | undefined;
      while (!ended.aborted) {
        const now = await status();
        if (now !== last) {
          last = now;
          yield { status: now };
        }
        await pause(intervalMs, ended);
      }
    },
  });
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal) => signal !== undefined));
}

/** Waits `ms` or until `signal` aborts, whichever comes first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    signal.addEventListener("abort", done, { once: true });
  });
}
