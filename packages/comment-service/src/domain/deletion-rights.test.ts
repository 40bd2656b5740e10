import { describe, expect, it } from "vitest";
import { mayDeleteComment } from "./deletion-rights.ts";

describe("mayDeleteComment", () => {
  const authorId = "author";
  const imageOwnerId = "owner";

  it("lets the comment's author delete it", () => {
    expect(mayDeleteComment({ callerId: authorId, authorId, imageOwnerId })).toBe(true);
  });

  it("lets the image's owner delete anyone's comment on it", () => {
    expect(mayDeleteComment({ callerId: imageOwnerId, authorId, imageOwnerId })).toBe(true);
  });

  it("refuses everybody else", () => {
    expect(mayDeleteComment({ callerId: "someone", authorId, imageOwnerId })).toBe(false);
  });
});
