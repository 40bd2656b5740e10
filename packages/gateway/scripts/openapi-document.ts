// Writes the gateway's OpenAPI document (what GET /openapi.json serves) to docs/openapi.json, so a
// clone has its REST contract without running anything. `npm run openapi`; CI fails when stale.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createTestbed } from "../src/testing/testbed.ts";

const target = fileURLToPath(new URL("../../../docs/openapi.json", import.meta.url));
const gateway = await createTestbed();
const response = await gateway.app.request("/openapi.json");
if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
await writeFile(target, `${JSON.stringify(await response.json(), null, 2)}\n`);
console.log(`wrote ${target}`);
