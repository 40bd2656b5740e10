export * from "./gen/instagram/auth/v1/auth_pb.ts";
export * from "./gen/instagram/auth/v1/events_pb.ts";
