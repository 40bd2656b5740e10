import { auditOrphans, describeFinding } from "@instagram/audit";
import { expect, inject } from "vitest";
import { eventually } from "./eventually.ts";

/**
 * One run of the orphan audit of the stack under test, as describeFinding lines: here, straight on
 * its database (distributed), or in the stack's own process, which alone can open its PGlite
 * (embedded). A stack offering neither fails the test: the audit is never skipped.
 */
export async function auditStack(): Promise<string[]> {
  const target = inject("auditTarget");
  if (target) return (await auditOrphans(target)).map(describeFinding);
  const url = inject("auditUrl");
  if (!url) throw new Error("the stack under test offers no orphan audit");
  const response = await fetch(url, { method: "POST" });
  const body = (await response.json()) as { findings?: unknown; error?: unknown };
  if (response.status !== 200 || !Array.isArray(body.findings)) {
    throw new Error(`the orphan audit answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.findings.map(String);
}

/** Runs the orphan audit until it finds nothing (a cascade may still be removing files); bounded. */
export async function expectNoOrphans(timeoutMs = 15_000): Promise<void> {
  await eventually(
    async () => {
      expect(await auditStack()).toEqual([]);
    },
    { timeoutMs, intervalMs: 500 },
  );
}
