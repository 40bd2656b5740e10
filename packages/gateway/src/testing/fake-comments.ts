import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { type Comment, CommentSchema, type CommentService } from "@instagram/contracts/comment";
import { hashtagsOf, mentionsOf } from "@instagram/contracts/text-entities";
import { fieldErrorMetadata } from "@instagram/kit";
import { callerOf, type FakeComment, type FakeWorld, pageOf } from "./fake-services.ts";
import type { TokenKeys } from "./token-keys.ts";

export function fakeCommentService(keys: TokenKeys, world: FakeWorld): ServiceImpl<typeof CommentService> {
  const imageById = (id: string) => {
    const image = world.images.find((candidate) => candidate.id === id);
    if (!image) throw new ConnectError("image not found", Code.NotFound);
    return image;
  };
  const messageOf = (comment: FakeComment): Comment =>
    create(CommentSchema, {
      id: comment.id,
      imageId: comment.imageId,
      author: {
        id: comment.authorId,
        username: world.accounts.find((a) => a.id === comment.authorId)?.username ?? "",
      },
      text: comment.text,
      hashtags: hashtagsOf(comment.text),
      mentions: mentionsOf(comment.text),
      createdAt: timestampFromDate(comment.createdAt),
    });

  return {
    async createComment(request, ctx) {
      const author = await callerOf(keys, world, ctx);
      const image = imageById(request.imageId);
      const text = request.text.trim();
      const problem =
        text === "" ? "must not be empty" : [...text].length > 1000 ? "must be at most 1000 characters" : "";
      if (problem !== "") {
        throw new ConnectError(
          `text ${problem}`,
          Code.InvalidArgument,
          fieldErrorMetadata([{ path: "text", message: problem }]),
        );
      }
      const comment: FakeComment = {
        id: `cmt-${world.comments.length + 1}`,
        imageId: image.id,
        authorId: author.id,
        text,
        createdAt: new Date(Date.UTC(2025, 1, 1, 0, 0, world.comments.length)),
      };
      world.comments.push(comment);
      return { comment: messageOf(comment) };
    },
    async listComments(request, ctx) {
      await callerOf(keys, world, ctx);
      const image = imageById(request.imageId);
      const { slice, next } = pageOf(
        world.comments.filter((comment) => comment.imageId === image.id),
        request.page,
      );
      return { comments: slice.map(messageOf), nextCursor: next };
    },
    async deleteComment(request, ctx) {
      const caller = await callerOf(keys, world, ctx);
      const image = imageById(request.imageId);
      const comment = world.comments.find((c) => c.id === request.commentId && c.imageId === image.id);
      if (!comment) throw new ConnectError("comment not found", Code.NotFound);
      if (caller.id !== comment.authorId && caller.id !== image.ownerId) {
        throw new ConnectError(
          "only the comment's author or the image's owner may delete it",
          Code.PermissionDenied,
        );
      }
      world.comments = world.comments.filter((c) => c !== comment);
      return {};
    },
  };
}
