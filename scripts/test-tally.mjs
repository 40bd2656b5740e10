// Sums vitest JSON reports (--reporter=json --outputFile=DIR/<run>.json) for .ci/run.
//   node scripts/test-tally.mjs DIR
// Prints each run's counts and failing tests, then, as its last line, "N passed, N failed".
// A test file that failed before running any test (import error, failing hook) counts as one
// failure, so a broken suite never reads as green. Exits 1 when anything failed or no test ran.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/test-tally.mjs DIR");
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort();
for (const file of files) {
  const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const brokenFiles = (report.testResults ?? []).filter(
    (result) =>
      result.status === "failed" && !(result.assertionResults ?? []).some((a) => a.status === "failed"),
  );
  const runFailed = report.numFailedTests + brokenFiles.length;
  const runSkipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += report.numPassedTests;
  failed += runFailed;
  skipped += runSkipped;
  console.log(
    `${file.replace(/\.json$/, "")}: ${report.numPassedTests} passed, ${runFailed} failed, ${runSkipped} skipped`,
  );
  for (const result of report.testResults ?? []) {
    for (const assertion of result.assertionResults ?? []) {
      if (assertion.status === "failed") console.log(`  FAILED ${assertion.fullName}`);
    }
  }
  for (const result of brokenFiles) {
    console.log(`  FAILED ${result.name}: ${(result.message ?? "").split("\n")[0]}`);
  }
}
if (files.length === 0) console.log(`no vitest reports in ${dir}`);
if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
