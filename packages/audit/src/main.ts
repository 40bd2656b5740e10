// The orphan audit from a shell (an operations tool: it reads every service's schema).
//   DATABASE_URL=postgres://… BLOB_DIR=<image-service's blob dir> npx tsx packages/audit/src/main.ts
import { runAuditCommand } from "./command.ts";

process.exitCode = await runAuditCommand({
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
