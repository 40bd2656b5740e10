// Requests for one operation of the document: parameters, bodies, content types and credentials,
// each either as the schema describes it or broken on purpose.
import fc from "fast-check";
import type { Operation, Parameter, Schema } from "./contract.ts";
import { conforming, deepJson, hostileJson, hostileText, type Json, type Known, mutated } from "./values.ts";

export interface FuzzRequest {
  method: string;
  /** Path and query, as sent. */
  target: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | FormData;
  /** What was generated, for the failure report. */
  shape: string;
  /**
   * Whether the path still names this operation: an empty or dot segment ("", ".", "%2e") is
   * dropped or resolved by URL rules, and the request lands on another route (or none).
   */
  routed: boolean;
}

/** What the requests may draw on: the signed-in user's token, and real ids and names. */
export interface Ground {
  token: string;
  known: Known;
  /** A small valid PNG, for uploads that should get through. */
  png: Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

/** fetch refuses header values with NUL, CR or LF, or code points above U+00FF. */
const headerSafe = (value: string): boolean => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

export function requestsFor(operation: Operation, ground: Ground): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: pathOf(operation, ground.known),
      query: queryOf(operation.parameters, ground.known),
      headers: headerParameters(operation.parameters, ground.known),
      authorization: authorizationOf(ground.token),
      body: bodyOf(operation, ground),
      extra: extraHeaders,
    })
    .map(({ path, query, headers, authorization, body, extra }) => {
      const all: Record<string, string> = { ...extra, ...headers, ...body.headers };
      if (authorization !== undefined) all.authorization = authorization;
      const request: FuzzRequest = {
        method: operation.method,
        target: query ? `${path}?${query}` : path,
        headers: all,
        body: body.body,
        routed: routes(operation.path, path),
        shape: `auth: ${authorization === undefined ? "none" : authorization === `Bearer ${ground.token}` ? "user" : "other"}; body: ${body.shape}`,
      };
      // How fast-check prints the failing case.
      return Object.assign(request, { [fc.toStringMethod]: () => readable(request) });
    });
}

/** The request as a reader wants it: method, target, headers, and the body decoded and cut short. */
export function readable(request: FuzzRequest): string {
  const body =
    request.body instanceof FormData
      ? `multipart form (${[...request.body.keys()].join(", ")})`
      : request.body
        ? `${request.body.length} bytes: ${preview(new TextDecoder().decode(request.body))}`
        : "none";
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${preview(value)}`);
  return [
    `${request.method} ${preview(request.target)} [${request.shape}]`,
    `  headers: ${headers.join("; ") || "none"}`,
    `  body: ${body}`,
  ].join("\n");
}

/** The text JSON-escaped (control bytes visible) and cut at 160 characters. */
export function preview(text: string): string {
  const shown = JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…(${text.length} chars)` : text);
  return shown.slice(1, -1);
}

function pathOf(operation: Operation, known: Known): fc.Arbitrary<string> {
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? "");
  const byName = new Map(operation.parameters.filter((p) => p.in === "path").map((p) => [p.name, p.schema]));
  const segments = names.map((name) =>
    fc.oneof(
      { weight: 4, arbitrary: conforming(byName.get(name) ?? { type: "string" }, known, name).map(segment) },
      { weight: 3, arbitrary: hostileText.map(percentEncoded) },
      // Unencoded, as a broken client would send them.
      {
        weight: 1,
        arbitrary: fc.constantFrom("%", "%zz", "%00", "%C0%AF", "..%2F..", "%2e%2e", "a;b", "a%0Ab"),
      },
    ),
  );
  return fc.tuple(...segments).map((values) => {
    let index = 0;
    return operation.path.replace(/\{[^}]+\}/g, () => values[index++] ?? "");
  });
}

function routes(template: string, path: string): boolean {
  const segments = path.split("/");
  return (
    segments.length === template.split("/").length &&
    new URL(path, "http://gateway").pathname === path &&
    segments.slice(1).every((part) => part !== "")
  );
}

function segment(value: Json): string {
  return percentEncoded(typeof value === "string" ? value : JSON.stringify(value));
}

const loneSurrogate = /([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/;

/** encodeURIComponent, except that a lone surrogate goes out as its three bytes (invalid UTF-8). */
function percentEncoded(value: string): string {
  return value
    .split(loneSurrogate)
    .map((part) => {
      if (!loneSurrogate.test(part)) return encodeURIComponent(part);
      const unit = part.charCodeAt(0);
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join("");
    })
    .join("");
}

function parameterValue(parameter: Parameter, known: Known): fc.Arbitrary<string | undefined> {
  const own = conforming(parameter.schema, known, parameter.name).map((value) =>
    typeof value === "string" ? value : JSON.stringify(value),
  );
  return fc.oneof(
    { weight: parameter.required ? 1 : 3, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: own },
    { weight: 3, arbitrary: hostileText },
  );
}

function queryOf(parameters: Parameter[], known: Known): fc.Arbitrary<string> {
  const declared = parameters.filter((parameter) => parameter.in === "query");
  return fc
    .record({
      values: fc.tuple(...declared.map((parameter) => parameterValue(parameter, known))),
      repeated: fc.option(fc.tuple(fc.constantFrom(...declared.map((p) => p.name), "x"), hostileText)),
      raw: fc.option(fc.constantFrom("%zz", "&&&", "=", "a=%", "limit[]=1", "cursor=%00"), { freq: 8 }),
    })
    .map(({ values, repeated, raw }) => {
      const query = new URLSearchParams();
      declared.forEach((parameter, index) => {
        const value = values[index];
        if (value !== undefined) query.append(parameter.name, value);
      });
      if (repeated) query.append(repeated[0], repeated[1]);
      const text = query.toString();
      return raw ? [text, raw].filter(Boolean).join("&") : text;
    });
}

function headerParameters(parameters: Parameter[], known: Known): fc.Arbitrary<Record<string, string>> {
  const declared = parameters.filter((parameter) => parameter.in === "header");
  return fc.tuple(...declared.map((parameter) => parameterValue(parameter, known))).map((values) => {
    const headers: Record<string, string> = {};
    declared.forEach((parameter, index) => {
      const value = values[index];
      if (value !== undefined && headerSafe(value)) headers[parameter.name] = value;
    });
    return headers;
  });
}

/** No credentials, the user's own token, or a bearer that is not one (forged, garbled, another scheme). */
function authorizationOf(token: string): fc.Arbitrary<string | undefined> {
  const [header = "", payload = ""] = token.split(".");
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 5, arbitrary: fc.constant(`Bearer ${token}`) },
      {
        weight: 3,
        arbitrary: fc.oneof(
          fc.constantFrom(
            "Bearer",
            "Bearer ",
            `bearer ${token}`,
            `Bearer  ${token}`,
            `Bearer ${token}x`,
            `Bearer ${header}.${payload}.`,
            `Bearer ${header}.${payload}`,
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
            "Bearer a.b.c",
            "Basic dXNlcjpwYXNz",
            `Token ${token}`,
            `Bearer ${"A".repeat(9000)}`,
          ),
          fc.string({ maxLength: 200, unit: "binary-ascii" }).map((value) => `Bearer ${value}`),
        ),
      },
    )
    .filter((value) => value === undefined || headerSafe(value));
}

/** Headers the gateway reads besides the documented ones: client address, request id, content negotiation. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  fc
    .tuple(
      fc.constantFrom(
        "x-forwarded-for",
        "x-real-ip",
        "x-request-id",
        "accept",
        "accept-encoding",
        "origin",
        "cookie",
      ),
      fc.oneof(
        hostileText,
        fc.constantFrom(
          "::1, 10.0.0.1, unknown",
          "999.999.999.999",
          "text/html",
          "*/*;q=x",
          "br;q=2, gzip;q=-1",
        ),
      ),
    )
    .filter(([, value]) => headerSafe(value))
    .map(([name, value]) => ({ [name]: value })),
);

interface Body {
  body?: Uint8Array<ArrayBuffer> | FormData;
  headers: Record<string, string>;
  shape: string;
}

function bodyOf(operation: Operation, ground: Ground): fc.Arbitrary<Body> {
  const json = operation.body["application/json"];
  const multipart = operation.body["multipart/form-data"];
  if (json) return jsonBody(json, ground);
  if (multipart) return multipartBody(multipart, ground);
  if (operation.method === "GET") return fc.constant({ headers: {}, shape: "none" });
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<Body>({ headers: {}, shape: "none" }) },
    {
      weight: 1,
      arbitrary: hostileJson.map((value) => raw(JSON.stringify(value), "application/json", "unasked json")),
    },
  );
}

function raw(text: string | Uint8Array<ArrayBuffer>, contentType: string | undefined, shape: string): Body {
  const body = typeof text === "string" ? encoder.encode(text) : text;
  return { body, headers: contentType === undefined ? {} : { "content-type": contentType }, shape };
}

function jsonBody(schema: Schema, ground: Ground): fc.Arbitrary<Body> {
  const asJson = (value: Json, shape: string): Body =>
    raw(JSON.stringify(value) ?? "null", "application/json", shape);
  return fc.oneof(
    { weight: 5, arbitrary: conforming(schema, ground.known).map((value) => asJson(value, "json")) },
    {
      weight: 5,
      arbitrary: mutated(schema, ground.known).map((value) => asJson(value, "json, one field broken")),
    },
    { weight: 2, arbitrary: hostileJson.map((value) => asJson(value, "json of another shape")) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          "",
          "{",
          '{"a":',
          "{'a':1}",
          '{"a":1,}',
          "\u0000",
          "nul",
          "\ufeff{}",
          '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}',
          '{"username":"a","username":"b"}',
          deepJson(20_000, "array"),
          deepJson(5_000, "object"),
          `"${"\\u0000".repeat(100)}"`,
        )
        .map((text) => raw(text, "application/json", "malformed json")),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          conforming(schema, ground.known),
          fc.constantFrom(
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/json; charset=utf-16",
            "application/xml",
            "image/png",
            "",
            undefined,
          ),
        )
        .map(([value, type]) =>
          raw(JSON.stringify(value) ?? "", type, `json as ${type ?? "no content type"}`),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(70_000, 2_000_000)
        .map((size) => asJson({ padding: "x".repeat(size) }, "oversized")),
    },
    {
      weight: 1,
      arbitrary: conforming(schema, ground.known).map((value) => ({
        ...asJson(value, "json claimed gzip"),
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
      })),
    },
  );
}

function multipartBody(schema: Schema, ground: Ground): fc.Arbitrary<Body> {
  const captionSchema = schema.properties?.caption ?? { type: "string" };
  const caption = fc.option(fc.oneof(conforming(captionSchema, ground.known), hostileText), {
    nil: undefined,
  });
  const declared = fc.constantFrom("image/png", "image/jpeg", "application/octet-stream", "text/plain", "");
  const form = (
    file: Uint8Array<ArrayBuffer> | undefined,
    type: string,
    text: Json | undefined,
    shape: string,
  ): Body => {
    const data = new FormData();
    if (file) data.append("file", new Blob([file.slice()], type ? { type } : {}), "upload.png");
    if (text !== undefined) data.append("caption", typeof text === "string" ? text : JSON.stringify(text));
    return { body: data, headers: {}, shape };
  };
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(declared, caption).map(([type, text]) => form(ground.png, type, text, "image")),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.uint8Array({ maxLength: 512 }), declared, caption)
        .map(([bytes, type, text]) => form(bytes, type, text, "random bytes as a file")),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: ground.png.length - 1 })
        .map((cut) => form(ground.png.slice(0, cut), "image/png", undefined, "truncated image")),
    },
    { weight: 1, arbitrary: caption.map((text) => form(undefined, "", text ?? "no file", "no file part")) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<[string | undefined, string]>(
          ["multipart/form-data", "--x\r\n\r\n"],
          ["multipart/form-data; boundary=x", ""],
          [
            "multipart/form-data; boundary=x",
            '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
          ],
          ["multipart/form-data; boundary=", "----\r\n"],
          [
            "multipart/form-data; boundary=x",
            '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n\u0000\r\n--x--',
          ],
          ["application/json", '{"file":"abc"}'],
          [undefined, "abc"],
        )
        .map(([type, text]) => raw(text, type, `malformed multipart (${type ?? "no content type"})`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("image/png", "multipart/form-data", "application/octet-stream")
        .map((type) => raw(ground.png, type, `raw image as ${type}`)),
    },
  );
}
