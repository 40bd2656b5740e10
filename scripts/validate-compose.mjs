// Checks docker-compose.yml offline (no Docker engine here): against the compose-spec JSON schema
// that the dclint npm package ships (schemas/compose.schema.json, the one `docker compose` embeds),
// and without a top-level `name:` (Debian's docker-compose 1.29 rejects it).
//   node scripts/validate-compose.mjs [file…]   (default docker-compose.yml)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const dclintManifest = require.resolve("dclint/package.json");
// The schema's own validator and YAML parser: dclint's dependencies, whatever the root hoists.
const fromDclint = createRequire(dclintManifest);
const { default: Ajv } = fromDclint("ajv");
const { parse } = fromDclint("yaml");
const schema = JSON.parse(readFileSync(join(dirname(dclintManifest), "schemas/compose.schema.json"), "utf8"));
const { version } = JSON.parse(readFileSync(dclintManifest, "utf8"));

// Ajv knows draft-07 by its canonical id only (http://…#): the schema's `$schema` is dropped, draft-07
// being Ajv's default; formats are not checked (as dclint does).
const { $schema: _draft, ...body } = schema;
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(body);
let failed = 0;
for (const file of process.argv.length > 2 ? process.argv.slice(2) : ["docker-compose.yml"]) {
  const document = parse(readFileSync(file, "utf8"), { merge: true });
  const problems = [];
  if (!validate(document)) {
    for (const error of validate.errors ?? []) {
      const where = error.instancePath || "/";
      const detail = error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : "";
      problems.push(`${where}: ${error.message}${detail}`);
    }
  }
  if (document && typeof document === "object" && "name" in document) {
    problems.push("/: a top-level `name:` (Debian's docker-compose 1.29 rejects it)");
  }
  if (problems.length > 0) {
    failed++;
    console.log(
      `${file}: ${problems.length} problem(s) against the compose-spec schema (dclint ${version}):`,
    );
    for (const problem of problems) console.log(`  ${problem}`);
  } else {
    const services = Object.keys(document.services ?? {}).length;
    console.log(`${file}: valid against the compose-spec schema (dclint ${version}), ${services} services`);
  }
}
process.exit(failed > 0 ? 1 : 0);
