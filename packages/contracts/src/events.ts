import type { DescMessage } from "@bufbuild/protobuf";
import { AccountCreatedSchema, AccountDeletedSchema } from "./gen/instagram/auth/v1/events_pb.ts";
import { CommentCreatedSchema, CommentDeletedSchema } from "./gen/instagram/comment/v1/events_pb.ts";
import {
  ImageCreatedSchema,
  ImageDeletedSchema,
  ImageLikedSchema,
  ImageUnlikedSchema,
} from "./gen/instagram/image/v1/events_pb.ts";
import {
  UserCreatedSchema,
  UserDeletedSchema,
  UserFollowedSchema,
  UserUnfollowedSchema,
  UserUpdatedSchema,
} from "./gen/instagram/user/v1/events_pb.ts";

/** Every event of the system: topic → type → the protobuf message its payload is. */
export const eventCatalog = {
  accounts: { CREATED: AccountCreatedSchema, DELETED: AccountDeletedSchema },
  users: {
    CREATED: UserCreatedSchema,
    UPDATED: UserUpdatedSchema,
    DELETED: UserDeletedSchema,
    FOLLOWED: UserFollowedSchema,
    UNFOLLOWED: UserUnfollowedSchema,
  },
  images: {
    CREATED: ImageCreatedSchema,
    DELETED: ImageDeletedSchema,
    LIKED: ImageLikedSchema,
    UNLIKED: ImageUnlikedSchema,
  },
  comments: { CREATED: CommentCreatedSchema, DELETED: CommentDeletedSchema },
} as const satisfies Record<string, Record<string, DescMessage>>;

export type Topic = keyof typeof eventCatalog;
export type EventType<T extends Topic> = keyof (typeof eventCatalog)[T] & string;

export function eventSchema(topic: string, type: string): DescMessage | undefined {
  const types: Record<string, DescMessage> | undefined = (
    eventCatalog as Record<string, Record<string, DescMessage>>
  )[topic];
  return types?.[type];
}
