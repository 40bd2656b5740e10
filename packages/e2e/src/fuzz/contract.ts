// The gateway's operations as its served OpenAPI document declares them, $refs resolved.

/** The part of JSON Schema the fuzz reads. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `METHOD /path`, the name a failure is reported under. */
  name: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** Media type → schema of the request body; empty when the operation takes none. */
  body: Record<string, Schema>;
  bodyRequired: boolean;
  secured: boolean;
  /** The statuses the document lists ("default" and ranges like "4XX" included as written). */
  statuses: string[];
}

interface RawParameter {
  $ref?: string;
  name: string;
  in: Parameter["in"];
  required?: boolean;
  schema?: Schema;
}

interface RawOperation {
  parameters?: RawParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
}

export interface Document {
  paths: Record<string, Record<string, RawOperation | RawParameter[]>>;
  components?: { schemas?: Record<string, Schema>; parameters?: Record<string, RawParameter> };
  security?: Record<string, string[]>[];
}

const methods = ["get", "put", "post", "delete", "patch"];

export async function fetchDocument(gatewayUrl: string): Promise<Document> {
  const response = await fetch(new URL("/openapi.json", gatewayUrl));
  if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
  return (await response.json()) as Document;
}

export function operationsOf(document: Document): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of methods) {
      const raw = item[method];
      if (!raw || Array.isArray(raw)) continue;
      const parameters = [...shared, ...(raw.parameters ?? [])].map((parameter) =>
        parameterOf(document, parameter),
      );
      const body: Record<string, Schema> = {};
      for (const [type, media] of Object.entries(raw.requestBody?.content ?? {})) {
        body[type] = resolve(document, media.schema ?? {});
      }
      const security = raw.security ?? document.security ?? [];
      operations.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        body,
        bodyRequired: raw.requestBody?.required ?? false,
        secured: security.some((requirement) => Object.keys(requirement).length > 0),
        statuses: Object.keys(raw.responses ?? {}),
      });
    }
  }
  return operations;
}

function parameterOf(document: Document, raw: RawParameter): Parameter {
  const parameter = raw.$ref ? document.components?.parameters?.[refName(raw.$ref)] : raw;
  if (!parameter) throw new Error(`unresolved parameter ${raw.$ref}`);
  return {
    name: parameter.name,
    in: parameter.in,
    required: parameter.required ?? parameter.in === "path",
    schema: resolve(document, parameter.schema ?? {}),
  };
}

/** The schema with every $ref replaced by its target (a cycle stops at an empty schema). */
export function resolve(document: Document, schema: Schema, seen: ReadonlySet<string> = new Set()): Schema {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    const target = document.components?.schemas?.[name];
    if (!target || seen.has(name)) return {};
    return resolve(document, target, new Set([...seen, name]));
  }
  const resolved: Schema = { ...schema };
  if (schema.items) resolved.items = resolve(document, schema.items, seen);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, resolve(document, value, seen)]),
    );
  }
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const list = schema[key];
    if (list) resolved[key] = list.map((item) => resolve(document, item, seen));
  }
  return resolved;
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

/** Whether the document lists `status` for the operation (exactly, as a range like 4XX, or as default). */
export function documents(operation: Operation, status: number): boolean {
  const listed = operation.statuses;
  return (
    listed.includes(String(status)) ||
    listed.includes(`${Math.floor(status / 100)}XX`) ||
    listed.includes("default")
  );
}
