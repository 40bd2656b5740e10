export * from "./gen/instagram/comment/v1/comment_pb.ts";
export * from "./gen/instagram/comment/v1/events_pb.ts";
