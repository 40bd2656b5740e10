// The project's own method options (proto/instagram/options): `internal` marks the methods only
// other services may call.
export * from "./gen/instagram/options/v1/options_pb.ts";
