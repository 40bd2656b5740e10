/** An RFC 9457 problem document as a Response. */
export function problemResponse(status: number, title: string, detail?: string): Response {
  const body: Record<string, unknown> = { type: "about:blank", title, status };
  if (detail !== undefined) body.detail = detail;
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}
