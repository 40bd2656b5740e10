import { createRequire } from "node:module";

// kafkajs 2.2.4 (its last release) schedules its request-queue check with
// `setTimeout(check, throttledUntil - Date.now())` while throttledUntil is still -1: a delay of
// minus the epoch, which Node ≥ 23 reports as a TimeoutNegativeWarning on every connection
// (upstream issue tulios/kafkajs#1751, fix never released). Same method, delay clamped at the
// 1 ms Node used anyway, so the behaviour is unchanged and the warning is gone.
const CHECK_PENDING_REQUESTS_INTERVAL = 10; // kafkajs's own constant in that file

interface RequestQueueShape {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

let applied = false;

/** Installs the clamped scheduleCheckPendingRequests on kafkajs's RequestQueue, once. */
export function fixKafkaNegativeTimer(): void {
  if (applied) return;
  applied = true;
  const load = createRequire(import.meta.url);
  const RequestQueue = load("kafkajs/src/network/requestQueue/index.js") as {
    prototype: RequestQueueShape;
  };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(
    this: RequestQueueShape,
  ): void {
    if (this.throttleCheckTimeoutId) return;
    let scheduleAt = this.throttledUntil - Date.now();
    if (this.pending.length > 0 && scheduleAt <= 0) scheduleAt = CHECK_PENDING_REQUESTS_INTERVAL;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      Math.max(1, scheduleAt),
    );
  };
}
