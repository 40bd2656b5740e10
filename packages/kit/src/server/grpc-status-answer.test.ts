import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { AuthService } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { answerGrpcStatus } from "./grpc-status-answer.ts";

describe("answerGrpcStatus", () => {
  it("ends a gRPC call with its code and message, percent-encoded where the protocol asks", async () => {
    const server = http2.createServer((_req, res) => answerGrpcStatus(res, 9, "naïve: 100% sure\nnot"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sessionManager = new Http2SessionManager(url);
    try {
      const client = createClient(AuthService, createGrpcTransport({ baseUrl: url, sessionManager }));
      await expect(client.getJwks({})).rejects.toMatchObject({
        code: 9, // FailedPrecondition
        rawMessage: "naïve: 100% sure\nnot",
      });
    } finally {
      sessionManager.abort();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
