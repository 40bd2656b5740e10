const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How far back timelines are fanned out. Readers trust their timeline from `readFrom` on and read
 * older pages from the follow graph; writers keep a day more than that (`keepFrom`), so an entry
 * is never trimmed or skipped while some reader still trusts it.
 */
export interface FeedHorizon {
  readFrom(now: Date): Date;
  keepFrom(now: Date): Date;
}

export function feedHorizon(timelineDays: number): FeedHorizon {
  return {
    readFrom: (now) => new Date(now.getTime() - timelineDays * DAY_MS),
    keepFrom: (now) => new Date(now.getTime() - (timelineDays + 1) * DAY_MS),
  };
}
