// gRPC's standard health and server-reflection protocols (proto/grpc), which every service serves.
export * from "./gen/grpc/health/v1/health_pb.ts";
export * as reflectionV1 from "./gen/grpc/reflection/v1/reflection_pb.ts";
export * as reflectionV1alpha from "./gen/grpc/reflection/v1alpha/reflection_pb.ts";
