// @ts-check
/**
 * `npm run test:mutation`: StrykerJS mutates lib/generation, lib/documents and lib/http and runs the
 * tests that cover each mutant (vitest, per-test coverage). On demand only, not in `npm test`/CI:
 * it takes a long time. Report: reports/mutation/index.html. The last score is in README.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: ["lib/generation/**/*.ts", "lib/documents/**/*.ts", "lib/http/**/*.ts"],
  coverageAnalysis: "perTest",
  // Module-level constants would need the whole suite per mutant; their effects are covered by behaviour tests.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 85, low: 70, break: null },
  // Later runs re-test only mutants whose code or covering tests changed (reports/mutation/incremental.json).
  incremental: true,
  incrementalFile: "reports/mutation/incremental.json",
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};

export default config;
