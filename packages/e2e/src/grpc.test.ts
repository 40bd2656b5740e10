// Real gRPC (HTTP/2 cleartext, trailers) straight to auth-service's port, with a generic gRPC
// client that knows nothing of Connect: proof the services speak the wire protocol, not just Connect.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueUsername } from "./people.ts";
import { serviceUrl } from "./stack.ts";

const protoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../proto");

type Unary<Req, Res> = (
  request: Req,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

interface TokenPairMessage {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

interface AuthServiceStub extends grpc.Client {
  GetJwks: Unary<Record<string, never>, { jwks_json: string }>;
  SignUp: Unary<
    { username: string; email: string; password: string },
    { account: { id: string; username: string; email: string; created_at: { seconds: string } } }
  >;
  Login: Unary<{ username: string; password: string }, { tokens: TokenPairMessage; account_id: string }>;
}

function call<Req, Res>(method: Unary<Req, Res>, stub: grpc.Client, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(stub, request, (error, response) => {
      if (error) reject(error);
      else if (response === undefined) reject(new Error("no response"));
      else resolve(response);
    });
  });
}

async function callError<Req, Res>(
  method: Unary<Req, Res>,
  stub: grpc.Client,
  request: Req,
): Promise<grpc.ServiceError> {
  try {
    await call(method, stub, request);
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error("the call succeeded");
}

describe("auth-service over gRPC", () => {
  let stub: AuthServiceStub;
  beforeAll(async () => {
    const definition = await protoLoader.load("instagram/auth/v1/auth.proto", {
      includeDirs: [protoRoot],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
    });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      instagram: { auth: { v1: { AuthService: grpc.ServiceClientConstructor } } };
    };
    const target = new URL(serviceUrl("auth")).host;
    stub = new loaded.instagram.auth.v1.AuthService(
      target,
      grpc.credentials.createInsecure(),
    ) as unknown as AuthServiceStub;
  });
  afterAll(() => stub?.close());

  it("serves GetJwks with an Ed25519 public key", async () => {
    const reply = await call(stub.GetJwks, stub, {});
    const jwks = JSON.parse(reply.jwks_json) as JSONWebKeySet;
    const ed25519 = jwks.keys.filter((key) => key.kty === "OKP" && key.crv === "Ed25519");
    expect(ed25519.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
  });

  it("signs up and logs in, and the access token verifies against the JWKS", async () => {
    const username = uniqueUsername("grpc");
    const signedUp = await call(stub.SignUp, stub, {
      username,
      email: `${username}@example.com`,
      password: "grpc password 1",
    });
    expect(signedUp.account).toMatchObject({ username, email: `${username}@example.com` });
    expect(Number(signedUp.account.created_at.seconds)).toBeGreaterThan(Date.now() / 1000 - 60);

    const loggedIn = await call(stub.Login, stub, { username, password: "grpc password 1" });
    expect(loggedIn.account_id).toBe(signedUp.account.id);
    expect(loggedIn.tokens.token_type).toBe("Bearer");

    const jwks = JSON.parse((await call(stub.GetJwks, stub, {})).jwks_json) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(
      loggedIn.tokens.access_token,
      createLocalJWKSet(jwks),
    );
    expect(payload.sub).toBe(signedUp.account.id);
    expect(protectedHeader.alg).toBe("EdDSA");
  });

  it("maps failures to gRPC status codes", async () => {
    const username = uniqueUsername("grpcx");
    await call(stub.SignUp, stub, {
      username,
      email: `${username}@example.com`,
      password: "grpc password 2",
    });
    const duplicate = await callError(stub.SignUp, stub, {
      username,
      email: `${username}-2@example.com`,
      password: "grpc password 2",
    });
    expect(duplicate.code).toBe(grpc.status.ALREADY_EXISTS);
    const wrong = await callError(stub.Login, stub, { username, password: "not the password" });
    expect(wrong.code).toBe(grpc.status.UNAUTHENTICATED);
    const invalid = await callError(stub.SignUp, stub, { username: "x", email: "nope", password: "1" });
    expect(invalid.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
