/**
 * Anything that answers fetch Requests: a Hono app of any Env (createServiceApp, the gateway's
 * OpenAPIHono). `env` carries the runtime's bindings (on Node: the incoming/outgoing objects).
 */
export interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/** A FetchApp that tests can also call by path, as Hono's app.request("/healthz") does. */
export interface HttpApp extends FetchApp {
  request(input: RequestInfo | URL, init?: RequestInit): Response | Promise<Response>;
}
