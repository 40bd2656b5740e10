// The orphan audit of the embedded stack, over HTTP: only the process that runs the stack can read
// its PGlite, and the tests run in worker threads of their own.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { auditOrphans, describeFinding } from "@instagram/audit";
import type { EmbeddedStack } from "@instagram/stack";

export interface AuditEndpoint {
  /** POST runs the audit: 200 `{ findings: string[] }` (each a describeFinding line). */
  url: string;
  close(): Promise<void>;
}

export async function serveOrphanAudit(
  stores: Pick<EmbeddedStack, "database" | "blobDir">,
): Promise<AuditEndpoint> {
  const server = createServer((request, response) => {
    const answer = (status: number, body: unknown): void => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    request.resume();
    if (request.method !== "POST" || request.url !== "/audit") return answer(404, { error: "POST /audit" });
    stores.database
      .connect()
      .then(({ db }) => auditOrphans({ database: db, blobDir: stores.blobDir }))
      .then(
        (findings) => answer(200, { findings: findings.map(describeFinding) }),
        (error: unknown) => answer(500, { error: error instanceof Error ? error.message : String(error) }),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/audit`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
