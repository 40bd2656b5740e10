// Tests run on the TypeScript sources of the workspace packages: the "@instagram/source" condition of their
// "exports" (the other branch, dist, is what production runs). Every vitest config spreads this.
// No "module" on the server side: a package that exports a bundler-only ESM build under it (the AWS
// SDK's dist-es, with extensionless imports) must resolve as Node resolves it in production.
const server = ["@instagram/source", "node", "development|production"];
export const sourceResolution = {
  resolve: { conditions: ["@instagram/source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: server } },
  // The environment vitest loads global setups in (the e2e suites' stacks).
  environments: { __vitest__: { resolve: { conditions: server } } },
};
