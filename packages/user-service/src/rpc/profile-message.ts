import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Profile, ProfileSchema } from "@instagram/contracts/user";
import type { ProfileView } from "../db/profile-views.ts";

export function toProfileMessage(view: ProfileView): Profile {
  return create(ProfileSchema, {
    id: view.id,
    username: view.username,
    displayName: view.displayName,
    bio: view.bio,
    followersCount: BigInt(view.followersCount),
    followingCount: BigInt(view.followingCount),
    imagesCount: BigInt(view.imagesCount),
    createdAt: timestampFromDate(view.createdAt),
    followedByMe: view.followedByMe,
  });
}
