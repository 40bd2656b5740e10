/**
 * Anything that answers fetch Requests: a Hono app of any Env (createServiceApp, the gateway's
 * OpenAPIHono). `env` carries the runtime's bindings (on Node: the incoming/outgoing objects).
 */
export interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}
