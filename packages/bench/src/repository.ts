import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (packages/bench/src → ../../..). */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
