import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { ImageSchema } from "./gen/instagram/image/v1/image_pb.ts";
import { imageContentPath, imageRepresentationOf } from "./image-representation.ts";

const id = "0192f0a4-8b1c-7def-8123-456789abcdef";

describe("imageRepresentationOf", () => {
  it("answers the REST JSON of an Image message: counts as numbers, time as RFC 3339, content URLs", () => {
    const image = create(ImageSchema, {
      id,
      owner: { id: "u1", username: "alice" },
      caption: "Sunset #beach @bob",
      hashtags: ["beach"],
      mentions: ["bob"],
      contentType: "image/jpeg",
      width: 640,
      height: 480,
      likesCount: 3n,
      commentsCount: 2n,
      likedByMe: true,
      createdAt: timestampFromDate(new Date("2026-01-02T03:04:05.678Z")),
    });
    expect(imageRepresentationOf(image)).toEqual({
      id,
      owner: { id: "u1", username: "alice" },
      caption: "Sunset #beach @bob",
      hashtags: ["beach"],
      mentions: ["bob"],
      contentType: "image/jpeg",
      width: 640,
      height: 480,
      likesCount: 3,
      commentsCount: 2,
      likedByMe: true,
      createdAt: "2026-01-02T03:04:05.678Z",
      urls: {
        original: `/v1/images/${id}/content?size=original`,
        thumbnail: `/v1/images/${id}/content?size=thumbnail`,
      },
    });
  });

  it("refuses a message without owner or creation time (a service's bug)", () => {
    const createdAt = timestampFromDate(new Date());
    expect(() => imageRepresentationOf(create(ImageSchema, { id, createdAt }))).toThrow(
      "service response lacks image.owner",
    );
    expect(() =>
      imageRepresentationOf(create(ImageSchema, { id, owner: { id: "u1", username: "a" } })),
    ).toThrow("service response lacks image.createdAt");
  });
});

describe("imageContentPath", () => {
  it("encodes the id into the path", () => {
    expect(imageContentPath("a/b c", "thumbnail")).toBe("/v1/images/a%2Fb%20c/content?size=thumbnail");
  });
});
