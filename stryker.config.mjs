// @ts-check
/**
 * `MUTATION_SCOPE=http|generation|documents` limits a run to one folder, with its own report and
 * incremental file, so that the three can run (and resume) one at a time: together they take hours.
 */
const scopes = { http: "lib/http", generation: "lib/generation", documents: "lib/documents" };
const scope = process.env.MUTATION_SCOPE;
if (scope && !(scope in scopes)) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(scopes).join(", ")}`);
const folders = scope ? [scopes[scope]] : Object.values(scopes);
const reportName = scope ?? "all";

/**
 * `npm run test:mutation`: StrykerJS mutates lib/generation, lib/documents and lib/http and runs the
 * tests that cover each mutant (vitest, per-test coverage). On demand only, not in `npm test`/CI:
 * it takes a long time. Report: reports/mutation/<scope>.html. The last score is in README.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner", "./stryker/survivor-log-reporter.mjs"],
  mutate: folders.map((folder) => `${folder}/**/*.ts`),
  coverageAnalysis: "perTest",
  // Module-level constants would need the whole suite per mutant; their effects are covered by behaviour tests.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30_000,
  // The initial run is the whole selected suite with per-test coverage: minutes on 2 busy cores.
  dryRunTimeoutMinutes: 40,
  reporters: ["clear-text", "progress", "html", "json", "survivor-log"],
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  thresholds: { high: 85, low: 70, break: null },
  // Later runs re-test only mutants whose code or covering tests changed (reports/mutation/incremental.json).
  incremental: true,
  incrementalFile: `reports/mutation/incremental-${reportName}.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};

export default config;
