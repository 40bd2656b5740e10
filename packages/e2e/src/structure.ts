// The one service shape (docs/architecture.md, "One service shape"), as rules over the source tree.
// Each rule reads the files of one package under `root` (the repository, or a synthetic tree in a
// test) and returns what breaks it; an empty list means the package keeps the rule.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export const SERVICES = ["auth-service", "user-service", "image-service", "comment-service"] as const;
export const GATEWAY = "gateway";
/** Packages that run as services of their own: none may import another. */
export const SERVICE_PACKAGES: readonly string[] = [...SERVICES, GATEWAY];

/**
 * What every service's src/ holds (a trailing "/" is a folder). main.deno.ts is not part of the
 * rule (every service has one; scripts/deno-smoke.sh checks and runs them).
 */
export const SERVICE_SHAPE = [
  "env.ts",
  "service.ts",
  "app.ts",
  "routes.ts",
  "rpc/",
  "use-cases/",
  "domain/errors.ts",
  "db/",
  "main.ts",
  "testing/testbed.ts",
] as const;
/** The parts of the shape the gateway has (no database, no rules of its own, REST routes in routes/). */
export const GATEWAY_SHAPE = ["env.ts", "service.ts", "app.ts", "main.ts", "testing/testbed.ts"] as const;

/** Query builders of a drizzle database or transaction (`db.select(…)`, `tx.insert(…)`, `db.query.x`). */
const QUERY_METHODS = new Set([
  "select",
  "selectDistinct",
  "selectDistinctOn",
  "insert",
  "update",
  "delete",
  "execute",
  "query",
  "$count",
  "$with",
  "with",
]);
/** Names a database or a transaction goes by in this repository (`db`, `tx`, `deps.db`, `handle.db`). */
const DATABASE_NAME = /^(db|tx|trx|database|executor|exec)$/i;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (["node_modules", "dist", "coverage"].includes(name) || name.startsWith(".")) return [];
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.(ts|mts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
    });
}

/** Slash-separated path of `path` below `base`. */
function below(base: string, path: string): string {
  return relative(base, path).split(sep).join("/");
}

/**
 * Tests and the test harness (`*.test.ts`, `src/testing/`) may look at tables directly to assert
 * effects and read their own settings (TEST_DATABASE_URL and the like): they are not the product.
 * They still may not import another service.
 */
export function isTestCode(pathInSrc: string): boolean {
  return /\.test\.(ts|mts|tsx)$/.test(pathInSrc) || pathInSrc.startsWith("testing/");
}

interface Source {
  path: string;
  file: ts.SourceFile;
}

function parse(path: string): Source {
  return { path, file: ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true) };
}

function where(root: string, source: Source, node: ts.Node): string {
  const { line } = source.file.getLineAndCharacterOfPosition(node.getStart(source.file));
  return `${below(root, source.path)}:${line + 1}`;
}

function visit(node: ts.Node, see: (node: ts.Node) => void): void {
  see(node);
  ts.forEachChild(node, (child) => visit(child, see));
}

/** Every module a file names: import/export … from, import(…), require(…), import x = require(…). */
function moduleSpecifiers(source: Source): { node: ts.Node; specifier: string }[] {
  const found: { node: ts.Node; specifier: string }[] = [];
  visit(source.file, (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier))
        found.push({ node, specifier: node.moduleSpecifier.text });
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === "require";
      if ((dynamic || required) && first !== undefined && ts.isStringLiteralLike(first)) {
        found.push({ node, specifier: first.text });
      }
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push({ node, specifier: node.expression.text });
    }
  });
  return found;
}

/** The service package a module specifier points into, if any (by name or by relative path). */
function servicePackageOf(root: string, fromFile: string, specifier: string): string | undefined {
  const named = /^@instagram\/([^/]+)/.exec(specifier)?.[1];
  if (named !== undefined) return SERVICE_PACKAGES.includes(named) ? named : undefined;
  if (!specifier.startsWith(".")) return undefined;
  const [top, name] = below(root, resolve(dirname(fromFile), specifier)).split("/");
  return top === "packages" && name !== undefined && SERVICE_PACKAGES.includes(name) ? name : undefined;
}

/** Rule 1: a service package (any of its files) imports no other service package. */
export function crossServiceImports(root: string, pkg: string): string[] {
  return sourceFiles(join(root, "packages", pkg)).flatMap((path) => {
    const source = parse(path);
    return moduleSpecifiers(source).flatMap(({ node, specifier }) => {
      const target = servicePackageOf(root, path, specifier);
      return target === undefined || target === pkg
        ? []
        : [`${where(root, source, node)} imports ${specifier}`];
    });
  });
}

function productFiles(root: string, pkg: string, skip: (pathInSrc: string) => boolean): Source[] {
  const src = join(root, "packages", pkg, "src");
  return sourceFiles(src)
    .filter((path) => !isTestCode(below(src, path)) && !skip(below(src, path)))
    .map(parse);
}

/** The identifier a property chain ends on: `deps.db` → db, `this.tx` → tx. */
function lastName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

/**
 * Rule 2: every query is in src/db/ (schema/, migrations/ and the query files): outside it no
 * import of drizzle-orm (or drizzle-orm/…), and no query builder called on a database or
 * transaction (`db.select`, `tx.insert`, `deps.db.execute`, `db.query.…`). Use cases take the
 * kit's Database/Executor types and inTransaction from the kit, and call db/ functions.
 */
export function queriesOutsideDb(root: string, pkg: string): string[] {
  const sources = productFiles(root, pkg, (pathInSrc) => pathInSrc.startsWith("db/"));
  return sources.flatMap((source) => {
    const found: string[] = [];
    for (const { node, specifier } of moduleSpecifiers(source)) {
      if (specifier === "drizzle-orm" || specifier.startsWith("drizzle-orm/")) {
        found.push(`${where(root, source, node)} imports ${specifier}`);
      }
    }
    visit(source.file, (node) => {
      if (!ts.isPropertyAccessExpression(node) || !QUERY_METHODS.has(node.name.text)) return;
      const receiver = lastName(node.expression);
      if (receiver !== undefined && DATABASE_NAME.test(receiver)) {
        found.push(`${where(root, source, node)} queries: ${node.getText(source.file).slice(0, 60)}`);
      }
    });
    return found;
  });
}

/** `process.env`, `process["env"]`, `Deno.env`, also through globalThis. */
function readsEnvironment(node: ts.Node, file: ts.SourceFile): boolean {
  const holder = (expression: ts.Expression) =>
    ["process", "Deno", "globalThis.process", "globalThis.Deno"].includes(expression.getText(file));
  if (ts.isPropertyAccessExpression(node)) return node.name.text === "env" && holder(node.expression);
  if (ts.isElementAccessExpression(node)) {
    const key = node.argumentExpression;
    return ts.isStringLiteralLike(key) && key.text === "env" && holder(node.expression);
  }
  // const { env } = process
  if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
    const namesEnv = node.name.elements.some((e) => (e.propertyName ?? e.name).getText(file) === "env");
    return namesEnv && holder(node.initializer);
  }
  // import { env } from "node:process"
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    const bindings = node.importClause?.namedBindings;
    return (
      ["process", "node:process"].includes(node.moduleSpecifier.text) &&
      bindings !== undefined &&
      ts.isNamedImports(bindings) &&
      bindings.elements.some((e) => (e.propertyName ?? e.name).text === "env")
    );
  }
  return false;
}

/** Rule 3: only src/env.ts and the entries (src/main.ts, src/main.*.ts) read the environment. */
export function environmentReads(root: string, pkg: string): string[] {
  const entry = (pathInSrc: string) => pathInSrc === "env.ts" || /^main(\.[a-z]+)?\.ts$/.test(pathInSrc);
  return productFiles(root, pkg, entry).flatMap((source) => {
    const found: string[] = [];
    visit(source.file, (node) => {
      if (readsEnvironment(node, source.file)) {
        found.push(`${where(root, source, node)} reads ${node.getText(source.file).slice(0, 60)}`);
      }
    });
    return found;
  });
}

/**
 * Rule 4: the shape's files and folders are there; the test harness exports `createTestbed`; rpc/
 * is thin (no errors.ts wrapper, no try/catch: handlers throw and the kit's boundary answers).
 */
export function shapeGaps(root: string, pkg: string): string[] {
  const src = join(root, "packages", pkg, "src");
  const shape: readonly string[] = pkg === GATEWAY ? GATEWAY_SHAPE : SERVICE_SHAPE;
  const gaps = shape.flatMap((entry) => {
    const path = join(src, entry);
    const there = entry.endsWith("/") ? existsSync(path) && statSync(path).isDirectory() : existsSync(path);
    return there ? [] : [`packages/${pkg}/src/${entry} is missing`];
  });
  const testbed = join(src, "testing", "testbed.ts");
  if (existsSync(testbed) && !exportsName(parse(testbed), "createTestbed")) {
    gaps.push(`packages/${pkg}/src/testing/testbed.ts does not export createTestbed`);
  }
  if (existsSync(join(src, "rpc", "errors.ts"))) gaps.push(`packages/${pkg}/src/rpc/errors.ts exists`);
  for (const path of sourceFiles(join(src, "rpc")).filter((p) => !isTestCode(below(src, p)))) {
    const source = parse(path);
    visit(source.file, (node) => {
      if (ts.isTryStatement(node)) gaps.push(`${where(root, source, node)} catches in an RPC handler`);
    });
  }
  return gaps;
}

function exportsName(source: Source, name: string): boolean {
  let found = false;
  visit(source.file, (node) => {
    const exported = ts.canHaveModifiers(node)
      ? (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false)
      : false;
    if (exported && ts.isFunctionDeclaration(node) && node.name?.text === name) found = true;
    if (exported && ts.isVariableStatement(node)) {
      found ||= node.declarationList.declarations.some((d) => d.name.getText(source.file) === name);
    }
    if (ts.isExportSpecifier(node) && node.name.text === name) found = true;
  });
  return found;
}
