// Part of `npm run build`: Scalar's standalone bundle (4 MB) copied into dist/docs/, so the
// production install needs no @scalar/api-reference (a devDependency: 170 MB with its dependencies).
import { copyFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// The package exports no path to it: from its main entry (dist/index.js) to dist/browser/.
const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
const target = new URL("../dist/docs/", import.meta.url);
await mkdir(target, { recursive: true });
await copyFile(join(dirname(entry), "browser", "standalone.js"), new URL("api-reference.js", target));
