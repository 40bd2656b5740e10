import type { DescMethod } from "@bufbuild/protobuf";
import { isInternalMethod } from "@instagram/kit";

/**
 * Who may call an operation through the gateway: anyone, only a caller with a valid access token,
 * or nobody from outside (methods other services call; the relay does not serve them). Which
 * methods are internal is declared once, in the .proto (`(instagram.options.v1.internal)`): the
 * table must say the same (internal-methods.test.ts), and policyOfMethod lets the .proto win.
 */
export type Access = "anonymous" | "token" | "internal";

/** The largest request body: a JSON body or Connect message (MAX_JSON_BODY_BYTES), or a streamed upload. */
export type BodyLimit = "json" | "upload";

export interface Policy {
  access: Access;
  /** `login`: the login throttle, per client address and per account name. */
  rateLimit?: "login";
  body: BodyLimit;
}

const anonymous: Policy = { access: "anonymous", body: "json" };
const token: Policy = { access: "token", body: "json" };
const internal: Policy = { access: "internal", body: "json" };

/**
 * The gateway's one policy, per operation, for both doors: the REST routes (each names its
 * operation) and the public Connect relay (each method by its procedure). Every method of the four
 * services has an entry; the two plain-HTTP operations of image files are keyed `http/<Name>`.
 */
export const policies = {
  "instagram.auth.v1.AuthService/SignUp": anonymous,
  "instagram.auth.v1.AuthService/Login": { ...anonymous, rateLimit: "login" },
  "instagram.auth.v1.AuthService/Refresh": anonymous,
  "instagram.auth.v1.AuthService/Logout": token,
  "instagram.auth.v1.AuthService/GetAccount": token,
  "instagram.auth.v1.AuthService/ChangePassword": token,
  "instagram.auth.v1.AuthService/DeleteAccount": token,
  "instagram.auth.v1.AuthService/GetJwks": anonymous,
  "instagram.auth.v1.AuthService/ListRevokedSessions": internal,

  "instagram.user.v1.UserService/GetProfile": token,
  "instagram.user.v1.UserService/UpdateProfile": token,
  "instagram.user.v1.UserService/SearchProfiles": token,
  "instagram.user.v1.UserService/Follow": token,
  "instagram.user.v1.UserService/Unfollow": token,
  "instagram.user.v1.UserService/ListFollowers": token,
  "instagram.user.v1.UserService/ListFollowing": token,
  "instagram.user.v1.UserService/ListFolloweeIds": internal,
  "instagram.user.v1.UserService/BatchGetProfiles": internal,

  "instagram.image.v1.ImageService/GetImage": token,
  "instagram.image.v1.ImageService/DeleteImage": token,
  "instagram.image.v1.ImageService/ListUserImages": token,
  "instagram.image.v1.ImageService/LikeImage": token,
  "instagram.image.v1.ImageService/UnlikeImage": token,
  "instagram.image.v1.ImageService/ListLikers": token,
  "instagram.image.v1.ImageService/ListTagImages": token,
  "instagram.image.v1.ImageService/ListMentionImages": token,
  "instagram.image.v1.ImageService/GetFeed": token,
  "instagram.image.v1.ImageService/BatchGetImageOwners": internal,

  "instagram.comment.v1.CommentService/CreateComment": token,
  "instagram.comment.v1.CommentService/ListComments": token,
  "instagram.comment.v1.CommentService/DeleteComment": token,

  "http/UploadImage": { access: "token", body: "upload" },
  // Public like a CDN's URLs: image ids are unguessable.
  "http/GetImageContent": anonymous,
} as const satisfies Record<string, Policy>;

export type Operation = keyof typeof policies;

/** `instagram.auth.v1.AuthService/Login` for AuthService's Login: the key and the relay's path. */
export function procedureOf(method: DescMethod): string {
  return `${method.parent.typeName}/${method.name}`;
}

export function isOperation(key: string): key is Operation {
  return Object.hasOwn(policies, key);
}

/** A service method's policy; a method the table forgot, or the .proto marks internal, is internal (never relayed). */
export function policyOfMethod(method: DescMethod): Policy {
  if (isInternalMethod(method)) return internal;
  const key = procedureOf(method);
  return isOperation(key) ? policies[key] : internal;
}
