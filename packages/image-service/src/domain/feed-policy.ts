const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How the feed is kept. Timelines (fan-out on write) hold images newer than the horizon:
 * readers trust them from `readFrom` on and read older pages from the follow graph; writers keep
 * a day more (`keepFrom`), so an entry is never trimmed or skipped while a reader still trusts
 * it. An account followed by more than `fanOutLimit` stops being fanned out on write: its new
 * images are merged into its followers' feeds on read.
 */
export interface FeedPolicy {
  readFrom(now: Date): Date;
  keepFrom(now: Date): Date;
  fanOutLimit: number;
}

export function feedPolicy(opts: { timelineDays: number; fanOutLimit: number }): FeedPolicy {
  return {
    readFrom: (now) => new Date(now.getTime() - opts.timelineDays * DAY_MS),
    keepFrom: (now) => new Date(now.getTime() - (opts.timelineDays + 1) * DAY_MS),
    fanOutLimit: opts.fanOutLimit,
  };
}

export const defaultFeedPolicy = feedPolicy({ timelineDays: 30, fanOutLimit: 1000 });

/**
 * Whether an image lives in timelines: yes, unless its owner had stopped being fanned out before
 * it was made. The one rule the upload, the follow backfill, the bulk rebuild and the read share.
 */
export function isFannedOut(createdAt: Date, fanOutStoppedAt: Date | null): boolean {
  return fanOutStoppedAt === null || createdAt <= fanOutStoppedAt;
}
