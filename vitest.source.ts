// Tests run on the TypeScript sources of the workspace packages: the "source" condition of their
// "exports" (the other branch, dist, is what production runs). Every vitest config spreads this.
export const sourceResolution = {
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
};
