import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { GetJwksRequestSchema, GetJwksResponseSchema } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { createTestbed } from "../testing/testbed.ts";

function connectCall(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit & { path: string } {
  return {
    path,
    method: "POST",
    headers: { "content-type": "application/json", "connect-protocol-version": "1", ...headers },
    body: JSON.stringify(body),
  };
}

function grpcWebFrame(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(5 + payload.length);
  new DataView(frame.buffer).setUint32(1, payload.length);
  frame.set(payload, 5);
  return frame;
}

function grpcWebFrames(bytes: Uint8Array): { trailer: boolean; data: Uint8Array }[] {
  const frames = [];
  let at = 0;
  while (at < bytes.length) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at + 1, 4).getUint32(0);
    frames.push({ trailer: ((bytes[at] ?? 0) & 0x80) !== 0, data: bytes.slice(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return frames;
}

describe("public Connect RPCs", () => {
  it("relays a Connect JSON call to the service", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice", "correct horse");
    const { path, ...init } = connectCall("/instagram.auth.v1.AuthService/Login", {
      username: "alice",
      password: "correct horse",
    });
    const response = await gateway.app.request(path, init);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.accountId).toBe("acc-alice");
    expect(body.tokens.tokenType).toBe("Bearer");
  });

  it("forwards the caller's Authorization header", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const { path, ...init } = connectCall(
      "/instagram.user.v1.UserService/GetProfile",
      { me: true },
      { authorization },
    );
    const response = await gateway.app.request(path, init);
    expect(response.status).toBe(200);
    expect((await response.json()).profile.username).toBe("alice");
    expect(gateway.world.received).toEqual([{ method: "GetProfile", authorization }]);
  });

  it("relays the service's error in the Connect format", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const { path, ...init } = connectCall(
      "/instagram.user.v1.UserService/GetProfile",
      { username: "nobody" },
      { authorization },
    );
    const response = await gateway.app.request(path, init);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: "not_found", message: "no user nobody" });
  });

  it("relays field problems in the error metadata", async () => {
    const gateway = await createTestbed();
    const { path, ...init } = connectCall("/instagram.auth.v1.AuthService/SignUp", {
      username: "A!",
      email: "a@example.com",
      password: "correct horse",
    });
    const response = await gateway.app.request(path, init);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.headers.get("x-field-errors") ?? "[]")).toEqual([
      { path: "username", message: "is not valid" },
    ]);
  });

  it("serves gRPC-web", async () => {
    const gateway = await createTestbed();
    const request = grpcWebFrame(toBinary(GetJwksRequestSchema, create(GetJwksRequestSchema)));
    const response = await gateway.app.request("/instagram.auth.v1.AuthService/GetJwks", {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      body: request as Uint8Array<ArrayBuffer>,
    });
    expect(response.status).toBe(200);
    const frames = grpcWebFrames(new Uint8Array(await response.arrayBuffer()));
    const message = frames.find((frame) => !frame.trailer);
    const trailer = frames.find((frame) => frame.trailer);
    expect(new TextDecoder().decode(trailer?.data)).toMatch(/grpc-status: ?0/);
    const answer = fromBinary(GetJwksResponseSchema, message?.data ?? new Uint8Array());
    expect(JSON.parse(answer.jwksJson).keys[0].kid).toBe(gateway.keys.kid);
  });

  it.each([
    "/instagram.user.v1.UserService/ListFolloweeIds",
    "/instagram.user.v1.UserService/BatchGetProfiles",
    "/instagram.image.v1.ImageService/BatchGetImageOwners",
  ])("does not expose the internal method %s", async (procedure) => {
    const gateway = await createTestbed();
    const { path, ...init } = connectCall(procedure, {});
    const response = await gateway.app.request(path, init);
    expect(response.status).toBe(404);
  });

  it("relays ImageService and CommentService calls", async () => {
    const gateway = await createTestbed();
    const { account, authorization } = await gateway.signedUp("alice");
    const image = gateway.posted(account, "#hello");
    const getImage = connectCall(
      "/instagram.image.v1.ImageService/GetImage",
      { id: image.id },
      { authorization },
    );
    const imageAnswer = await gateway.app.request(getImage.path, getImage);
    expect(imageAnswer.status).toBe(200);
    expect((await imageAnswer.json()).image).toMatchObject({ id: image.id, hashtags: ["hello"] });
    const create = connectCall(
      "/instagram.comment.v1.CommentService/CreateComment",
      { imageId: image.id, text: "first" },
      { authorization },
    );
    const created = await gateway.app.request(create.path, create);
    expect(created.status).toBe(200);
    expect((await created.json()).comment).toMatchObject({ imageId: image.id, text: "first" });
    expect(gateway.world.received).toEqual([
      { method: "GetImage", authorization },
      { method: "CreateComment", authorization },
    ]);
  });

  it("relays GetFeed with the caller's token", async () => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    const image = gateway.posted(alice.account, "mine");
    const { path, ...init } = connectCall(
      "/instagram.image.v1.ImageService/GetFeed",
      {},
      { authorization: alice.authorization },
    );
    const response = await gateway.app.request(path, init);
    expect(response.status).toBe(200);
    expect((await response.json()).images).toMatchObject([{ id: image.id }]);
    expect(gateway.world.received).toEqual([{ method: "GetFeed", authorization: alice.authorization }]);
  });

  it("answers a CORS preflight for a procedure with Connect's headers allowed", async () => {
    const gateway = await createTestbed();
    const response = await gateway.app.request("/instagram.user.v1.UserService/GetProfile", {
      method: "OPTIONS",
      headers: {
        origin: "https://tools.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, connect-protocol-version, authorization, x-grpc-web",
      },
    });
    expect(response.status).toBe(204);
    const allowed = response.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
    for (const header of ["content-type", "connect-protocol-version", "authorization", "x-grpc-web"]) {
      expect(allowed).toContain(header);
    }
  });

  it("lets a page on another origin read the field problems of a refused call (CORS)", async () => {
    const gateway = await createTestbed({ corsOrigins: "https://tools.example" });
    const { path, ...init } = connectCall(
      "/instagram.auth.v1.AuthService/SignUp",
      { username: "A!", email: "a@example.com", password: "correct horse" },
      { origin: "https://tools.example" },
    );
    const response = await gateway.app.request(path, init);
    expect(response.status).toBe(400);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://tools.example");
    const exposed = (response.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/, */);
    expect(exposed).toContain("x-field-errors");
    expect(response.headers.get("x-field-errors")).not.toBeNull();
  });
});
