export * from "./gen/instagram/user/v1/events_pb.ts";
export * from "./gen/instagram/user/v1/user_pb.ts";
