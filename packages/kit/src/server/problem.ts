import type { FieldError } from "./field-errors.ts";

/** An RFC 9457 problem document as a Response; `errors` lists the fields at fault, if any. */
export function problemResponse(
  status: number,
  title: string,
  detail?: string,
  errors?: readonly FieldError[],
): Response {
  const body: Record<string, unknown> = { type: "about:blank", title, status };
  if (detail !== undefined) body.detail = detail;
  if (errors !== undefined && errors.length > 0) body.errors = errors;
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}
