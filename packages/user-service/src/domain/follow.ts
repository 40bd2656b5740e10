import { selfFollow } from "./errors.ts";

/** The rule of an edge: follower → followee, never a loop. */
export function assertNotSelf(followerId: string, followeeId: string): void {
  if (followerId === followeeId) throw selfFollow();
}
