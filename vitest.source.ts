// Tests run on the TypeScript sources of the workspace packages: the "@instagram/source" condition of their
// "exports" (the other branch, dist, is what production runs). Every vitest config spreads this.
const server = ["@instagram/source", "module", "node", "development|production"];
export const sourceResolution = {
  resolve: { conditions: ["@instagram/source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: server } },
  // The environment vitest loads global setups in (the e2e suites' stacks).
  environments: { __vitest__: { resolve: { conditions: server } } },
};
