// The one service shape stays checkable: these tests read the repository's source tree and fail
// when a service imports another, queries outside db/, reads the environment outside env.ts and
// its entries, or lacks a part of the shape. Test code (`*.test.ts`, src/testing/) may look at
// tables and read its own settings; see isTestCode in structure.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  crossServiceImports,
  environmentReads,
  queriesOutsideDb,
  SERVICE_PACKAGES,
  SERVICE_SHAPE,
  shapeGaps,
} from "./structure.ts";

const repository = fileURLToPath(new URL("../../..", import.meta.url));

describe.each(SERVICE_PACKAGES)("%s", (pkg) => {
  it("imports no other service package", () => {
    expect(crossServiceImports(repository, pkg)).toEqual([]);
  });

  it("queries the database only in src/db/", () => {
    expect(queriesOutsideDb(repository, pkg)).toEqual([]);
  });

  it("reads the environment only in src/env.ts and src/main*.ts", () => {
    expect(environmentReads(repository, pkg)).toEqual([]);
  });

  it("has the one service shape", () => {
    expect(shapeGaps(repository, pkg)).toEqual([]);
  });
});

describe("the rules, on a synthetic tree", () => {
  let root: string;
  const write = (path: string, text = "export {};\n") => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  /** A user-service that keeps every rule. */
  const wellShaped = () => {
    for (const entry of SERVICE_SHAPE) {
      if (entry.endsWith("/")) write(`packages/user-service/src/${entry}keep.ts`);
      else write(`packages/user-service/src/${entry}`);
    }
    write("packages/user-service/src/testing/testbed.ts", "export async function createTestbed() {}\n");
    write(
      "packages/user-service/src/env.ts",
      'import { parseEnv } from "@instagram/kit";\nexport const load = () => parseEnv(process.env);\n',
    );
    write("packages/user-service/src/main.deno.ts", "const env = Deno.env.toObject();\n");
    write(
      "packages/user-service/src/db/profiles.ts",
      'import { eq } from "drizzle-orm";\nexport const find = (db: any) => db.select().from(t).where(eq(1, 1));\n',
    );
    write(
      "packages/user-service/src/use-cases/profiles.ts",
      'import { inTransaction } from "@instagram/kit";\nimport { find } from "../db/profiles.ts";\n' +
        "export const get = (db: any) => inTransaction(db, (tx: any) => find(tx));\n" +
        "export const forget = (seen: Map<string, number>) => seen.delete('x');\n",
    );
    write(
      "packages/user-service/src/rpc/user-service.ts",
      'import type { UserService } from "@instagram/contracts/user";\nexport const impl = { async get() { return {}; } };\n',
    );
    write(
      "packages/user-service/src/use-cases/profiles.test.ts",
      'import { sql } from "drizzle-orm";\nconst url = process.env.TEST_DATABASE_URL;\nawait db.execute(sql`select 1`);\n',
    );
    write("packages/user-service/src/testing/reset.ts", "export const reset = (db: any) => db.delete(t);\n");
    write("packages/auth-service/src/service.ts", "export const createAuthService = () => {};\n");
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "structure-"));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("find nothing wrong with a well-shaped service", () => {
    wellShaped();
    expect(crossServiceImports(root, "user-service")).toEqual([]);
    expect(queriesOutsideDb(root, "user-service")).toEqual([]);
    expect(environmentReads(root, "user-service")).toEqual([]);
    expect(shapeGaps(root, "user-service")).toEqual([]);
  });

  it("catch an import of another service, by package name or by relative path, in any file", () => {
    write(
      "packages/user-service/src/use-cases/accounts.ts",
      'import { createAuthService } from "@instagram/auth-service";\n' +
        'export { createAuthService as again } from "../../../auth-service/src/service.ts";\n' +
        'export const schema = () => import("@instagram/image-service/schema");\n',
    );
    write("packages/user-service/scripts/seed.ts", 'import "@instagram/comment-service";\n');
    write("packages/user-service/src/own.ts", 'import { x } from "@instagram/user-service/schema";\n');
    expect(crossServiceImports(root, "user-service")).toEqual([
      "packages/user-service/scripts/seed.ts:1 imports @instagram/comment-service",
      "packages/user-service/src/use-cases/accounts.ts:1 imports @instagram/auth-service",
      "packages/user-service/src/use-cases/accounts.ts:2 imports ../../../auth-service/src/service.ts",
      "packages/user-service/src/use-cases/accounts.ts:3 imports @instagram/image-service/schema",
    ]);
  });

  it("catch drizzle-orm and query builders outside db/, tests and the harness aside", () => {
    write(
      "packages/user-service/src/use-cases/search.ts",
      'import { ilike } from "drizzle-orm";\nimport type { PgTable } from "drizzle-orm/pg-core";\n' +
        "export const search = async (deps: any, tx: any) => {\n" +
        "  await deps.db.select().from(t);\n  await tx.insert(t).values({});\n  return deps.db.query.profiles.findMany();\n};\n",
    );
    write(
      "packages/user-service/src/service.ts",
      "export const ready = (db: any) => db.execute('select 1');\n",
    );
    expect(queriesOutsideDb(root, "user-service")).toEqual([
      "packages/user-service/src/service.ts:1 queries: db.execute",
      "packages/user-service/src/use-cases/search.ts:1 imports drizzle-orm",
      "packages/user-service/src/use-cases/search.ts:2 imports drizzle-orm/pg-core",
      "packages/user-service/src/use-cases/search.ts:4 queries: deps.db.select",
      "packages/user-service/src/use-cases/search.ts:5 queries: tx.insert",
      "packages/user-service/src/use-cases/search.ts:6 queries: deps.db.query",
    ]);
  });

  it("catch the environment read outside env.ts and main*.ts, in all its spellings", () => {
    write(
      "packages/user-service/src/service.ts",
      'import { env } from "node:process";\nconst a = process.env.PORT;\nconst b = process["env"];\n' +
        "const { env: c } = process;\nconst d = Deno.env.get('X');\nconst e = globalThis.process.env;\n",
    );
    expect(environmentReads(root, "user-service")).toEqual([
      'packages/user-service/src/service.ts:1 reads import { env } from "node:process";',
      "packages/user-service/src/service.ts:2 reads process.env",
      'packages/user-service/src/service.ts:3 reads process["env"]',
      "packages/user-service/src/service.ts:4 reads { env: c } = process",
      "packages/user-service/src/service.ts:5 reads Deno.env",
      "packages/user-service/src/service.ts:6 reads globalThis.process.env",
    ]);
  });

  it("catch a missing part of the shape, another harness name, and a fat rpc/", () => {
    rmSync(join(root, "packages/user-service/src/use-cases"), { recursive: true });
    rmSync(join(root, "packages/user-service/src/domain/errors.ts"));
    write("packages/user-service/src/testing/testbed.ts", "export async function createUserWorld() {}\n");
    write("packages/user-service/src/rpc/errors.ts", "export const toConnectError = () => {};\n");
    write(
      "packages/user-service/src/rpc/user-service.ts",
      "export const impl = {\n  async get() {\n    try {\n      return {};\n    } catch {\n      return {};\n    }\n  },\n};\n",
    );
    expect(shapeGaps(root, "user-service")).toEqual([
      "packages/user-service/src/use-cases/ is missing",
      "packages/user-service/src/domain/errors.ts is missing",
      "packages/user-service/src/testing/testbed.ts does not export createTestbed",
      "packages/user-service/src/rpc/errors.ts exists",
      "packages/user-service/src/rpc/user-service.ts:3 catches in an RPC handler",
    ]);
  });
});
