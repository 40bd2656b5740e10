// Tests run on the TypeScript sources of the workspace packages: the "source" condition of their
// "exports" (the other branch, dist, is what production runs). Every vitest config spreads this.
export const sourceResolution = {
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  // No "module" here: packages that export a bundler-only ESM build under it (the AWS SDK's
  // dist-es, extensionless imports) must resolve as Node resolves them in production.
  ssr: { resolve: { conditions: ["source", "node", "development|production"] } },
};
