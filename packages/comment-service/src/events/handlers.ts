import type { EventHandlers, Outbox } from "@instagram/kit";
import { onImageCreated, onImageDeleted } from "./image-events.ts";
import { onUserDeleted, onUserNamed } from "./user-events.ts";

/** Consumer group of comment-service (also its inbox key). */
export const CONSUMER_NAME = "comment-service";

/**
 * What comment-service consumes, keyed by topic and event type. The kit's consumer applies each
 * event with its inbox row in one transaction, so a redelivery changes nothing.
 */
export function createEventHandlers(deps: { outbox: Outbox; now: () => Date }): EventHandlers {
  return {
    images: { CREATED: onImageCreated(deps), DELETED: onImageDeleted(deps) },
    users: { CREATED: onUserNamed, UPDATED: onUserNamed, DELETED: onUserDeleted(deps) },
  };
}
