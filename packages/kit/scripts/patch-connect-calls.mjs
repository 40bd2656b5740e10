// Run after every install (root package.json "postinstall"). Two costs Connect 2.2.0 pays on every
// call that ends normally, both an error object with a captured stack that nobody ever sees (about
// 6 % of the gateway's CPU on a small read, 4 % of a service's):
// 1. Ending a call aborts its signal without a reason (client: run-call's done(); server: the
//    handler context's abort() and connect-node's stream close), so Node makes a fresh AbortError
//    DOMException each time. Patched: one AbortError made once, the same name and message.
// 2. connect-node's client sentinel keeps the reject of its last race after that race settled,
//    so close() builds a ConnectError("sentinel completed early") to reject a promise already
//    resolved. Patched: a race forgets its reject once its promise is fulfilled.
// Idempotent; fails loudly if the code is not the one this patch was written for.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const MARK = "/* instagram: one AbortError for every call that ends */";
const ended = `\n${MARK}\nconst instagramEndedCall = new DOMException("This operation was aborted", "AbortError");\n`;
const require = createRequire(join(dirname(new URL(import.meta.url).pathname), "..", "package.json"));

/** <package root> of a dependency as the kit resolves it (its exports hide package.json). */
function packageRoot(name) {
  const entry = require.resolve(name);
  return entry.slice(0, entry.lastIndexOf(`${join("node_modules", name)}`) + `node_modules/${name}`.length);
}

const patches = [
  {
    root: packageRoot("@connectrpc/connect"),
    files: ["protocol/run-call.js"],
    from: "            controller.abort();\n",
    to: "            controller.abort(instagramEndedCall);\n",
    append: ended,
  },
  {
    root: packageRoot("@connectrpc/connect"),
    files: ["implementation.js"],
    from: "            abortController.abort(reason);\n",
    to: "            abortController.abort(reason === undefined ? instagramEndedCall : reason);\n",
    append: ended,
  },
  {
    root: packageRoot("@connectrpc/connect-node"),
    files: ["node-universal-handler.js"],
    from: "                abortController.abort();\n",
    to: "                abortController.abort(instagramEndedCall);\n",
    append: ended,
  },
  {
    root: packageRoot("@connectrpc/connect-node"),
    files: ["node-universal-client.js"],
    from: [
      "            let resolveRace;\n",
      "                rejectRace = reject;\n",
      "                resolveRace === null || resolveRace === void 0 ? void 0 : resolveRace(value);\n",
    ],
    to: [
      "            let resolveRace, ownReject; /* instagram: a settled race forgets its reject */\n",
      "                rejectRace = ownReject = reject;\n",
      "                if (rejectRace === ownReject) rejectRace = undefined;\n                resolveRace === null || resolveRace === void 0 ? void 0 : resolveRace(value);\n",
    ],
  },
];

let patched = 0;
for (const patch of patches) {
  const { version } = JSON.parse(readFileSync(join(patch.root, "package.json"), "utf8"));
  for (const file of patch.files) {
    for (const format of ["esm", "cjs"]) {
      const path = join(patch.root, "dist", format, file);
      const original = readFileSync(path, "utf8");
      const froms = [patch.from].flat();
      const tos = [patch.to].flat();
      if (original.includes(tos[0])) continue; // applied by an earlier run
      let source = original;
      froms.forEach((from, index) => {
        const found = source.split(from).length - 1;
        if (found !== 1) {
          throw new Error(
            `${patch.root} ${version} ${format}/${file}: expected 1 × ${JSON.stringify(from)}, found ${found}`,
          );
        }
        source = source.replace(from, tos[index]);
      });
      if (patch.append) source += patch.append;
      writeFileSync(path, source);
      patched++;
    }
  }
}
if (patched > 0)
  process.stdout.write(
    `patched Connect: no error objects made for calls that end normally (${patched} files)\n`,
  );
