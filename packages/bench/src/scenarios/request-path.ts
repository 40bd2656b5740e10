import { createClient } from "@connectrpc/connect";
import { UserService } from "@instagram/contracts/user";
import { createServiceTransport, createStaticDiscovery } from "@instagram/kit";
import { http2Instances } from "@instagram/kit/node";
import { runBounded } from "../bounded-runs.ts";
import { ratio, type Summary, summarize, throughput } from "../stats.ts";

export interface RequestPathOptions {
  gatewayUrl: string;
  userServiceUrl: string;
  token: string;
  /** Requests per side, split over `rounds` alternating rounds. */
  requests: number;
  concurrency: number;
  rounds: number;
  warmup: number;
  /** No request starts after this (Date.now() ms); both sides get the same share of rounds. */
  deadline: number;
}

export interface PathSide {
  requests: number;
  wallMs: number;
  perSecond: number;
  latencyMs: Summary;
}

export interface RequestPathResult {
  concurrency: number;
  stoppedByTime: boolean;
  /** GET /v1/users/me through the gateway (REST → JWT check → Connect call to user-service). */
  gateway: PathSide;
  /** UserService.GetProfile{me} called directly on user-service, with the kit's transport the gateway uses. */
  direct: PathSide;
  /** gateway throughput ÷ direct throughput: the share of the direct path's rate kept through the gateway. */
  throughputRatio: number;
  ratioP50: number;
  ratioP99: number;
}

/**
 * The cost of the gateway hop: the same question (the caller's profile) asked through the gateway
 * and directly of user-service, at the same concurrency, in alternating rounds.
 */
export async function measureRequestPath(opts: RequestPathOptions): Promise<RequestPathResult> {
  const authorization = `Bearer ${opts.token}`;
  const client = createClient(
    UserService,
    createServiceTransport({
      discovery: createStaticDiscovery({ user: [opts.userServiceUrl] }),
      service: "user",
      timeoutMs: 10_000,
      // As the gateway calls it on Node: Connect over HTTP/2.
      instances: http2Instances(),
    }),
  );
  const viaGateway = async (): Promise<void> => {
    const response = await fetch(`${opts.gatewayUrl}/v1/users/me`, {
      headers: { authorization, accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`GET /v1/users/me: ${response.status} ${body.slice(0, 200)}`);
  };
  const direct = async (): Promise<void> => {
    const { profile } = await client.getProfile(
      { key: { case: "me", value: true } },
      { headers: { authorization } },
    );
    if (profile === undefined) throw new Error("GetProfile answered without a profile");
  };

  const sides = {
    gateway: { run: viaGateway, samples: [] as number[], wallMs: 0 },
    direct: { run: direct, samples: [] as number[], wallMs: 0 },
  };
  for (const side of Object.values(sides)) {
    await runBounded({ count: opts.warmup, concurrency: opts.concurrency }, () => side.run());
  }

  const perRound = Math.max(1, Math.ceil(opts.requests / opts.rounds));
  let stoppedByTime = false;
  for (let round = 0; round < opts.rounds; round++) {
    // A round pair starts only with time left for it, so both sides get as many rounds.
    if (Date.now() >= opts.deadline) {
      stoppedByTime = true;
      break;
    }
    for (const side of round % 2 === 0 ? [sides.gateway, sides.direct] : [sides.direct, sides.gateway]) {
      const started = performance.now();
      await runBounded({ count: perRound, concurrency: opts.concurrency }, async () => {
        const begun = performance.now();
        await side.run();
        side.samples.push(performance.now() - begun);
      });
      side.wallMs += performance.now() - started;
    }
  }

  const describe = (side: { samples: number[]; wallMs: number }): PathSide => ({
    requests: side.samples.length,
    wallMs: side.wallMs,
    perSecond: throughput(side.samples.length, side.wallMs),
    latencyMs: summarize(side.samples),
  });
  const gateway = describe(sides.gateway);
  const directSide = describe(sides.direct);
  return {
    concurrency: opts.concurrency,
    stoppedByTime,
    gateway,
    direct: directSide,
    throughputRatio: ratio(gateway.perSecond, directSide.perSecond),
    ratioP50: ratio(gateway.latencyMs.p50, directSide.latencyMs.p50),
    ratioP99: ratio(gateway.latencyMs.p99, directSide.latencyMs.p99),
  };
}
