export * from "./gen/instagram/image/v1/events_pb.ts";
export * from "./gen/instagram/image/v1/image_pb.ts";
