// Runs in the browser, on a page of another origin than the gateway: the public RPCs through
// connect-web, as a web client calls them. The bundle sets globalThis.publicRpcs for the test.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService } from "@instagram/contracts/auth";
import { UserService } from "@instagram/contracts/user";

export type Wire = "connect-json" | "connect-binary-get" | "grpc-web";

export interface FieldError {
  path: string;
  message: string;
}

/** What the page saw, plain data the test can compare. */
export interface Walkthrough {
  jwksKeyTypes: string[];
  signedUp: string;
  loggedInAs: string;
  profile: { username: string; id: string };
  /** The refused sign-up: its Connect code name and the field problems from x-field-errors. */
  refusal: { code: string; fieldErrors: FieldError[] | null };
  /** GetProfile without a token. */
  anonymousProfile: string;
}

function transportOf(baseUrl: string, wire: Wire): Transport {
  if (wire === "grpc-web") return createGrpcWebTransport({ baseUrl });
  return createConnectTransport({
    baseUrl,
    useBinaryFormat: wire === "connect-binary-get",
    useHttpGet: wire === "connect-binary-get",
  });
}

function codeOf(error: unknown): string {
  if (error instanceof ConnectError) return Code[error.code];
  throw error;
}

function fieldErrorsOf(error: ConnectError): FieldError[] | null {
  const raw = error.metadata.get("x-field-errors");
  return raw === null ? null : (JSON.parse(raw) as FieldError[]);
}

async function refusalOf(call: () => Promise<unknown>): Promise<Walkthrough["refusal"]> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ConnectError) return { code: Code[error.code], fieldErrors: fieldErrorsOf(error) };
    throw error;
  }
  throw new Error("the call was expected to be refused");
}

/** The profile is made from the account's event: it may take a moment to appear. */
async function eventually<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ConnectError) || error.code !== Code.NotFound || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function walkThrough(gatewayUrl: string, wire: Wire, username: string): Promise<Walkthrough> {
  const transport = transportOf(gatewayUrl, wire);
  const auth = createClient(AuthService, transport);
  const users = createClient(UserService, transport);
  const password = "correct horse battery";

  const { jwksJson } = await auth.getJwks({});
  const jwks = JSON.parse(jwksJson) as { keys: { kty: string }[] };
  const { account } = await auth.signUp({ username, email: `${username}@example.com`, password });
  const { tokens, accountId } = await auth.login({ username, password });
  const headers = { authorization: `Bearer ${tokens?.accessToken ?? ""}` };
  const { profile } = await eventually(() =>
    users.getProfile({ key: { case: "me", value: true } }, { headers }),
  );
  const refusal = await refusalOf(() => auth.signUp({ username: "x", email: "nope", password: "short" }));
  let anonymousProfile = "OK";
  try {
    await users.getProfile({ key: { case: "username", value: username } });
  } catch (error) {
    anonymousProfile = codeOf(error);
  }
  return {
    jwksKeyTypes: jwks.keys.map((key) => key.kty),
    signedUp: account?.username ?? "",
    loggedInAs: accountId === account?.id ? (account?.username ?? "") : `another account: ${accountId}`,
    profile: { username: profile?.username ?? "", id: profile?.id ?? "" },
    refusal,
    anonymousProfile,
  };
}

(globalThis as { publicRpcs?: { walkThrough: typeof walkThrough } }).publicRpcs = { walkThrough };
const status = document.getElementById("status");
if (status) status.textContent = "ready";
