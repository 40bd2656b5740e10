import type { EventHandlers, Outbox } from "@instagram/kit";
import { onAccountCreated, onAccountDeleted } from "./account-events.ts";
import { onImageCreated, onImageDeleted } from "./image-events.ts";

/** Consumer group of user-service (also its inbox key). */
export const CONSUMER_NAME = "user-service";

/** What user-service consumes, keyed by topic and event type. */
export function createEventHandlers(outbox: Outbox): EventHandlers {
  return {
    accounts: { CREATED: onAccountCreated(outbox), DELETED: onAccountDeleted(outbox) },
    images: { CREATED: onImageCreated, DELETED: onImageDeleted },
  };
}
