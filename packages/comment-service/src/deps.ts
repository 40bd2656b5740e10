import type { Database, Logger, Outbox } from "@instagram/kit";
import type { ImageOwnerLookup } from "./images/image-owners.ts";

/** What the comment use cases need; service.ts builds it, tests build their own. */
export interface CommentDeps {
  db: Database;
  outbox: Outbox;
  logger: Logger;
  /** Fallback for images the read model does not know yet; absent → such an image is a 404. */
  imageOwners?: ImageOwnerLookup;
  now: () => Date;
  /** Called after a transaction that published events commits (kicks the outbox relay). */
  published: () => void;
}
