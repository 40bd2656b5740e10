// Where the stack under test is: scripts/browser-check.sh starts it and names it in the environment.

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run scripts/browser-check.sh (it starts the stack)`);
  return value;
}

/** The gateway of a running stack, e.g. http://127.0.0.1:21040. */
export function gatewayUrl(): string {
  return required("BROWSER_CHECK_GATEWAY_URL");
}

/** The port of the page's own origin; the gateway's CORS_ORIGINS names http://127.0.0.1:<port>. */
export function pagePort(): number {
  return Number(required("BROWSER_CHECK_PAGE_PORT"));
}
