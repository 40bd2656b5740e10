import type { Hono } from "hono";

/**
 * The reference page at /docs: Scalar's standalone bundle from the pinned npm package
 * (@scalar/api-reference), served by the gateway itself, so the page works offline and loads
 * nothing from elsewhere. Its CSP allows scripts from this origin only (no inline script).
 */
export const DOCS_SCRIPT_PATH = "/docs/api-reference.js";
export const DOCS_INIT_PATH = "/docs/init.js";

// Scalar injects its styles at run time (style elements and attributes): 'unsafe-inline' for styles only.
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>instagram-clone API</title>
  </head>
  <body>
    <noscript>The reference needs JavaScript; the document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <div id="app"></div>
    <script src="${DOCS_SCRIPT_PATH}"></script>
    <script src="${DOCS_INIT_PATH}"></script>
  </body>
</html>
`;

// No fonts from Scalar's servers, no calls through its proxy: the page talks to this gateway only.
const init = `Scalar.createApiReference("#app", {
  url: "/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
});
`;

interface Bundle {
  plain: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
}

/**
 * The standalone bundle's bytes, read once (Node and Deno both have node:fs). Built code reads the
 * copy `npm run build` put in dist/docs/ (production installs have no @scalar/api-reference);
 * sources read it from node_modules.
 */
async function readBundle(): Promise<Bundle> {
  const { readFile } = await import("node:fs/promises");
  const plain = new Uint8Array(await readFile(await bundlePath()));
  const gzip = new Uint8Array(
    await new Response(new Blob([plain]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
  return { plain, gzip };
}

async function bundlePath(): Promise<string | URL> {
  if (import.meta.url.endsWith(".js")) return new URL("../docs/api-reference.js", import.meta.url);
  const { createRequire } = await import("node:module");
  const { dirname, join } = await import("node:path");
  // The package exports no path to it: from its main entry (dist/index.js) to dist/browser/.
  const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
  return join(dirname(entry), "browser", "standalone.js");
}

export function mountDocs(app: Hono): void {
  let bundle: Promise<Bundle> | undefined;
  const pageHeaders = { "content-security-policy": DOCS_CSP, "cache-control": "no-cache" };

  app.get("/docs", (c) => c.html(page, 200, pageHeaders));
  app.get(DOCS_INIT_PATH, (c) =>
    c.body(init, 200, { ...pageHeaders, "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get(DOCS_SCRIPT_PATH, async (c) => {
    bundle ??= readBundle();
    const { plain, gzip } = await bundle;
    const zipped = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    return c.body(zipped ? gzip : plain, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "content-security-policy": DOCS_CSP,
      "cache-control": "public, max-age=3600",
      vary: "accept-encoding",
      ...(zipped ? { "content-encoding": "gzip" } : {}),
    });
  });
}
