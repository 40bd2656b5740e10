import { z } from "@hono/zod-openapi";
import { pageLimit, username } from "./field-rules.ts";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "about:blank" }),
    title: z.string().openapi({ example: "Bad Request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string().openapi({ example: "username" }), message: z.string() }))
      .optional()
      .openapi({ description: "Field problems, one per bad field." }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details." });

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

/** A documented error answer of a route. */
export function problemAnswer(description: string) {
  return { description, content: problemContent };
}

const time = z.string().openapi({ format: "date-time", example: "2025-01-31T12:00:00.000Z" });

const nextCursor = z
  .string()
  .nullable()
  .openapi({ description: "Pass as `cursor` for the next page; null at the end." });

export const AccountSchema = z
  .object({
    id: z.string(),
    username: z.string().openapi({ example: "alice" }),
    email: z.string().openapi({ example: "alice@example.com" }),
    createdAt: time,
  })
  .openapi("Account");

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires." }),
  })
  .openapi("TokenPair");

export const ProfileSchema = z
  .object({
    id: z.string(),
    username: z.string().openapi({ example: "alice" }),
    displayName: z.string(),
    bio: z.string(),
    followersCount: z.number().int(),
    followingCount: z.number().int(),
    imagesCount: z.number().int(),
    createdAt: time,
    followedByMe: z.boolean().openapi({ description: "Whether the caller follows this profile." }),
  })
  .openapi("Profile");

export const ProfilePageSchema = z
  .object({
    items: z.array(ProfileSchema),
    nextCursor,
  })
  .openapi("ProfilePage");

/** Who owns an image or wrote a comment. */
export const UserRefSchema = z
  .object({ id: z.string(), username: z.string().openapi({ example: "alice" }) })
  .openapi("UserRef");

export const ImageSchema = z
  .object({
    id: z.string(),
    owner: UserRefSchema,
    caption: z.string().openapi({ example: "Sunset with @bob #beach" }),
    hashtags: z.array(z.string()).openapi({
      description: "Parsed from the caption: lower-cased, unique, without `#`.",
      example: ["beach"],
    }),
    mentions: z
      .array(z.string())
      .openapi({ description: "Usernames mentioned in the caption, without `@`.", example: ["bob"] }),
    contentType: z.string().openapi({ example: "image/jpeg" }),
    width: z.number().int(),
    height: z.number().int(),
    likesCount: z.number().int(),
    commentsCount: z.number().int(),
    likedByMe: z.boolean().openapi({ description: "Whether the caller likes this image." }),
    createdAt: time,
    urls: z
      .object({
        original: z
          .string()
          .openapi({ example: "/v1/images/0192f0a4-8b1c-7def-8123-456789abcdef/content?size=original" }),
        thumbnail: z
          .string()
          .openapi({ example: "/v1/images/0192f0a4-8b1c-7def-8123-456789abcdef/content?size=thumbnail" }),
      })
      .openapi({ description: "Where the files are; public, no token needed." }),
  })
  .openapi("Image");

export const ImagePageSchema = z.object({ items: z.array(ImageSchema), nextCursor }).openapi("ImagePage");

export const CommentSchema = z
  .object({
    id: z.string(),
    imageId: z.string(),
    author: UserRefSchema,
    text: z.string(),
    hashtags: z.array(z.string()).openapi({ description: "Parsed from the text, as for captions." }),
    mentions: z.array(z.string()).openapi({ description: "Parsed from the text, as for captions." }),
    createdAt: time,
  })
  .openapi("Comment");

export const CommentPageSchema = z
  .object({ items: z.array(CommentSchema), nextCursor })
  .openapi("CommentPage");

export const PageQuerySchema = z.object({
  limit: pageLimit.openapi({
    param: { name: "limit", in: "query" },
    example: 20,
    description: "Page size, 1–100 (decimal digits).",
  }),
  cursor: z
    .string()
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page." }),
});

export const UsernameParamSchema = z.object({
  username: username().openapi({ param: { name: "username", in: "path" } }),
});

export const ImageIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: "id", in: "path" }, example: "0192f0a4-8b1c-7def-8123-456789abcdef" }),
});

/** A JSON request body, required, as the OpenAPI route config wants it. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonAnswer<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}
