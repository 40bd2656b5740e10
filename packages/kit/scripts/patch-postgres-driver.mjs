// Run after every install (root package.json "postinstall"). Fixes two ways the `postgres` driver
// 3.4.9 (its latest release) takes the whole process down when the database goes away:
// 1. A statement sent on a transaction's connection after that connection closed schedules a
//    write (setImmediate) on a socket that is null by then: an uncaught TypeError (upstream
//    porsager/postgres#1154, #1208). Also, teardown cancelled a pending write without forgetting
//    it, so a later write on that connection was never flushed (the statement hung).
//    Patched: such a write rejects its statements with CONNECTION_CLOSED (a transient fault:
//    consumers retry, RPCs answer 503), and teardown forgets the pending write.
// 2. A new connection fetches the array types first and drops that promise: when the connection
//    dies meanwhile, an unhandled rejection (upstream #1192, #1205, #1223). Patched: caught; the
//    connection's own error path (reconnect, or the caller's error) reports the failure.
// Idempotent; fails loudly if the driver's code is not the one this patch was written for.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const MARK = "/* instagram: closed-socket guard */";
const TYPES_MARK = "/* instagram: array types failure reported by the connection */";
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
  {
    what: "array types fetch caught",
    from: "        return fetchArrayTypes()\n",
    to: `        return fetchArrayTypes().catch(() => undefined) ${TYPES_MARK}\n`,
  },
];

let patched = 0;
for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
  const path = join(root, file);
  const original = readFileSync(path, "utf8");
  let source = original;
  for (const { what, from, to, count = 1 } of replacements) {
    if (source.split(to).length - 1 === count) continue; // applied by an earlier run
    const found = source.split(from).length - 1;
    if (found !== count) {
      throw new Error(
        `postgres ${version} ${file}: expected ${count} × "${what}", found ${found}; review the patch`,
      );
    }
    source = source.split(from).join(to);
  }
  if (source !== original) {
    writeFileSync(path, source);
    patched++;
  }
}
if (patched > 0)
  process.stdout.write(
    `patched postgres ${version}: crash fixes for a database going away (${patched} files)\n`,
  );
