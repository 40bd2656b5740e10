import {
  type Code,
  ConnectError,
  type ConnectRouter,
  createClient,
  type Interceptor,
} from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AuthService } from "@instagram/contracts/auth";
import { rememberCallerDeadline } from "../../discovery/caller-deadline.ts";
import { errorBoundary } from "../../errors/connect-boundary.ts";
import { silentLogger } from "../../log/logger.ts";
import { serveNode } from "../../server/node-server.ts";
import { createServiceApp } from "../../server/service-app.ts";

/** What a server answered a call: "ok" or the Connect code of its error (after the boundary). */
export type Answer = "ok" | Code;

export interface CallServer {
  /**
   * Makes one call; resolves with what the client saw. `deadlineMs` is sent as the call's
   * deadline (Connect-Timeout-Ms) while the client itself sets no timeout, so the server's deadline
   * passes first and its answer arrives; `signal` is the client going away.
   */
  call(opts: { deadlineMs?: number; signal?: AbortSignal }): Promise<Answer>;
  /** What the server answered the next call still unread (waits for the handler to finish). */
  answered(): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * A real Connect server (the interceptors every service gets: rememberCallerDeadline, then the
 * error boundary) whose one method runs `work` with the call's signal. Any method would do;
 * AuthService.getJwks is the vehicle.
 */
export async function serveCalls(work: (signal: AbortSignal) => Promise<void>): Promise<CallServer> {
  const answers: Promise<Answer>[] = [];
  let read = 0;
  const recordAnswer: Interceptor = (next) => (req) => {
    const answering = next(req);
    answers.push(
      answering.then(
        (): Answer => "ok",
        (error: unknown): Answer => ConnectError.from(error).code,
      ),
    );
    return answering;
  };
  const routes = (router: ConnectRouter) =>
    router.service(AuthService, {
      async getJwks(_req, ctx) {
        await work(ctx.signal);
        return { jwksJson: "{}" };
      },
    });
  const app = createServiceApp({ name: "auth", routes, readiness: async () => {} });
  const server = await serveNode({
    app,
    routes,
    interceptors: [recordAnswer, rememberCallerDeadline, errorBoundary(silentLogger)],
  });
  // A bare transport: the kit's would add a deadline of its own.
  const client = createClient(AuthService, createConnectTransport({ baseUrl: server.url, httpVersion: "2" }));
  return {
    call: ({ deadlineMs, signal }) =>
      client
        .getJwks(
          {},
          {
            signal,
            headers: deadlineMs === undefined ? {} : { "connect-timeout-ms": String(deadlineMs) },
          },
        )
        .then(
          (): Answer => "ok",
          (error: unknown): Answer => ConnectError.from(error).code,
        ),
    async answered() {
      const deadline = Date.now() + 10_000;
      while (answers[read] === undefined && Date.now() < deadline) await sleep(10);
      const answer = answers[read++];
      if (answer === undefined) throw new Error("the server answered no further call");
      return answer;
    },
    close: () => server.close(),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `signal` aborts (the call's deadline passed, or its caller went away). */
export function ended(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
