// Renders a results JSON (bench/results/<date>-<machine>.json) as markdown again, e.g. after the
// table changed:  npx tsx packages/bench/src/render-results.ts <json> "<command>" ["<infra>"]
import { readFile, writeFile } from "node:fs/promises";
import type { BenchReport } from "./report.ts";
import { resultsMarkdown } from "./results-markdown.ts";

const [jsonPath, command, infra] = process.argv.slice(2);
if (!jsonPath?.endsWith(".json") || !command) {
  process.stderr.write('usage: render-results.ts <results .json> "<command>" ["<infra>"]\n');
  process.exit(2);
}
const report = JSON.parse(await readFile(jsonPath, "utf8")) as BenchReport;
const markdownPath = jsonPath.replace(/\.json$/, ".md");
await writeFile(markdownPath, resultsMarkdown(report, command, infra));
process.stdout.write(`${markdownPath}\n`);
