import type { Comparison } from "./load/alternating.ts";
import type { ReadEndpoint } from "./workload/requests.ts";

export interface TargetCheck {
  target: string;
  value: number;
  limit: number;
  /** Undefined when the value could not be measured. */
  pass: boolean | undefined;
}

/**
 * The goals of the distributed read paths: users and images keep ≥ 0.5× the baseline's throughput
 * with p99 ≤ 3× its p99; a feed page's p50 is ≤ 3× a single image read's p50 (both on the stack).
 */
export function checkTargets(reads: Partial<Record<ReadEndpoint, Comparison>>): TargetCheck[] {
  const atLeast = (target: string, value: number | undefined, limit: number): TargetCheck => ({
    target,
    value: value ?? Number.NaN,
    limit,
    pass: value === undefined || !Number.isFinite(value) ? undefined : value >= limit,
  });
  const atMost = (target: string, value: number | undefined, limit: number): TargetCheck => ({
    target,
    value: value ?? Number.NaN,
    limit,
    pass: value === undefined || !Number.isFinite(value) ? undefined : value <= limit,
  });
  const feedP50 = reads.feed?.system.latencyMs.p50;
  const imageP50 = reads.image?.system.latencyMs.p50;
  const feedOverImage = feedP50 !== undefined && imageP50 !== undefined ? feedP50 / imageP50 : undefined;
  return [
    atLeast("GET /v1/users/{u} throughput ÷ baseline", reads.users?.throughputRatio, 0.5),
    atMost("GET /v1/users/{u} p99 ÷ baseline", reads.users?.p99Ratio, 3),
    atLeast("GET /v1/images/{id} throughput ÷ baseline", reads.image?.throughputRatio, 0.5),
    atMost("GET /v1/images/{id} p99 ÷ baseline", reads.image?.p99Ratio, 3),
    atMost("GET /v1/feed p50 ÷ GET /v1/images/{id} p50 (stack)", feedOverImage, 3),
  ];
}
