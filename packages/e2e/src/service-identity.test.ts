// Internal RPCs answer only the services: straight to a service's port, without a service token
// (anonymous, or with a user's access token in either header) a call is Unauthenticated, over
// Connect and over gRPC. Through the gateway the same methods work: its calls carry its token.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { beforeAll, describe, expect, it } from "vitest";
import { postPicture } from "./gallery.ts";
import { newPerson, type Person } from "./people.ts";
import { gateway, serviceUrl } from "./stack.ts";

const protoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../proto");

function connectCall(
  service: string,
  procedure: string,
  message: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${serviceUrl(service)}/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", "connect-protocol-version": "1", ...headers },
    body: JSON.stringify(message),
  });
}

describe("internal RPCs on the services' own ports", () => {
  const api = gateway();
  let alice: Person;
  let imageId: string;
  beforeAll(async () => {
    alice = await newPerson(api, { prefix: "sid" });
    imageId = (await postPicture(alice.client, "service identity")).id;
  });

  it("refuse a caller without a service token: anonymous, or a user's access token", async () => {
    const internal: [string, string, unknown][] = [
      ["user", "instagram.user.v1.UserService/BatchGetProfiles", { ids: [alice.id] }],
      ["user", "instagram.user.v1.UserService/ListFolloweeIds", { userId: alice.id }],
      ["image", "instagram.image.v1.ImageService/BatchGetImageOwners", { ids: [imageId] }],
      ["auth", "instagram.auth.v1.AuthService/ListRevokedSessions", {}],
    ];
    const access = alice.tokens.accessToken;
    for (const [service, procedure, message] of internal) {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: `Bearer ${access}` },
        { "x-service-token": access },
      ];
      for (const headers of attempts) {
        const response = await connectCall(service, procedure, message, headers);
        expect(response.status, `${procedure} with ${Object.keys(headers)}`).toBe(401);
        expect(await response.json()).toMatchObject({ code: "unauthenticated" });
      }
    }
  });

  it("refuse an anonymous gRPC call of BatchGetProfiles as UNAUTHENTICATED", async () => {
    const definition = protoLoader.loadSync("instagram/user/v1/user.proto", { includeDirs: [protoRoot] });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      instagram: { user: { v1: { UserService: grpc.ServiceClientConstructor } } };
    };
    const stub = new loaded.instagram.user.v1.UserService(
      new URL(serviceUrl("user")).host,
      grpc.credentials.createInsecure(),
    );
    try {
      const error = await new Promise<grpc.ServiceError | null>((done) => {
        const batchGetProfiles = stub.BatchGetProfiles as (
          request: unknown,
          callback: (failure: grpc.ServiceError | null) => void,
        ) => void;
        batchGetProfiles.call(stub, { ids: [alice.id] }, (failure) => done(failure));
      });
      expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
    } finally {
      stub.close();
    }
  });

  it("leave public methods to the user's token, as before", async () => {
    const response = await connectCall(
      "user",
      "instagram.user.v1.UserService/GetProfile",
      { id: alice.id },
      { authorization: `Bearer ${alice.tokens.accessToken}` },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ profile: { username: alice.username } });
  });

  it("answer the gateway, whose calls carry its service token (likers → BatchGetProfiles)", async () => {
    expect((await alice.client.like(imageId)).status).toBeLessThan(300);
    const likers = await alice.client.likers(imageId);
    expect(likers.status, likers.text).toBe(200);
    expect(likers.body.items.map((person) => person.username)).toEqual([alice.username]);
  });
});
