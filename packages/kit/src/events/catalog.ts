import type { DescMessage } from "@bufbuild/protobuf";
import type { EventType, eventCatalog, Topic } from "@instagram/contracts/events";

/** The protobuf message descriptor of one event type. */
export type EventSchema<T extends Topic, K extends EventType<T>> = Extract<
  (typeof eventCatalog)[T][K],
  DescMessage
>;
