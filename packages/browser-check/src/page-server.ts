// The page, served from its own origin (another port than the gateway's): index.html and the
// page's script, bundled once with esbuild (connect-web and the generated contracts inside).
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";

const pageDir = new URL("./page/", import.meta.url);

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [new URL("public-rpcs.ts", pageDir).pathname],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    // The workspace's contracts from their TypeScript, as everything else that runs from source.
    conditions: ["@instagram/source"],
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error("esbuild produced no bundle");
  return output.text;
}

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

export async function startPageServer(host: string, port: number): Promise<PageServer> {
  const files = new Map<string, { type: string; body: string }>([
    ["/", { type: "text/html; charset=utf-8", body: await readFile(new URL("index.html", pageDir), "utf8") }],
    ["/public-rpcs.js", { type: "text/javascript; charset=utf-8", body: await bundle() }],
  ]);
  const server: Server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? "/", "http://page").pathname);
    response.writeHead(file ? 200 : 404, { "content-type": file?.type ?? "text/plain" });
    response.end(file?.body ?? "not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
