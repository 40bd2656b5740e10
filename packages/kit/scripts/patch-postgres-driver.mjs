// Run after every install (root package.json "postinstall"). Fixes a crash of the `postgres`
// driver 3.4.9 (its latest release) when the database goes away during a transaction:
// a statement sent on a transaction's connection after that connection closed schedules a write
// (setImmediate) on a socket that is null by then, and the TypeError thrown there is uncaught, so
// the whole service exits (upstream porsager/postgres#1154, #1208; fixes proposed, not released).
// Also, the connection's teardown cancelled a pending write without forgetting it, so a later
// write on it was never flushed (the statement hung).
// The patch: a write on a closed connection rejects its statements with CONNECTION_CLOSED (a
// transient fault: consumers retry, RPCs answer 503), and teardown forgets the pending write.
// Idempotent; fails loudly if the driver's code is not the one this patch was written for.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const MARK = "/* instagram: closed-socket guard */";
const require = createRequire(import.meta.url);
// The driver's CommonJS entry is <root>/cjs/src/index.js (its exports hide package.json).
const root = join(dirname(require.resolve("postgres")), "..", "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const replacements = [
  {
    what: "nextWrite guard",
    from: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    to: `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  },
  {
    what: "teardown forgets the pending write (terminate, closed)",
    from: "    clearImmediate(nextWriteTimer)\n",
    to: "    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n",
    count: 2,
  },
];

let patched = 0;
for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
  const path = join(root, file);
  let source = readFileSync(path, "utf8");
  if (source.includes(MARK)) continue;
  for (const { what, from, to, count = 1 } of replacements) {
    const found = source.split(from).length - 1;
    if (found !== count) {
      throw new Error(
        `postgres ${version} ${file}: expected ${count} × "${what}", found ${found}; review the patch`,
      );
    }
    source = source.split(from).join(to);
  }
  writeFileSync(path, source);
  patched++;
}
if (patched > 0)
  process.stdout.write(`patched postgres ${version}: closed-socket guard (${patched} files)\n`);
