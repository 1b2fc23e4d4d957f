// @ts-check
/**
 * `MUTATION_SCOPE=<scope>` limits a run to one part of the code, with its own report and
 * incremental file, so that the parts can run (and resume) one at a time: together they take
 * hours. lib/documents (1,076 mutants) also runs as two parts and lib/generation (2,849) as four,
 * of 500–900 lines each; a folder's score is the sum of its parts' counts.
 */
/** The use cases of lib/documents: they take a Studio (storage, generations, admission). */
const documentUseCases = ["admission", "admission-ledger", "cancel-document", "create-document", "delete-document", "document-version", "live-job-source", "load-document", "open-document-events", "repair-document", "resume-document", "retention", "start-generation", "stored-document-source"];
const generationStream = ["run-model-stream", "continuation-seam", "think-block", "silence-watchdog", "describe-error", "provider", "provider-fetch", "demo-model", "token-usage", "activity-mix"];
const scopes = {
  http: ["lib/http/**/*.ts"],
  documents: ["lib/documents/**/*.ts"],
  "documents-use-cases": documentUseCases.map((name) => `lib/documents/${name}.ts`),
  /** The document model: types, parts, topics, paths, versions, limits and tokens (every other file of lib/documents). */
  "documents-model": ["lib/documents/**/*.ts", ...documentUseCases.map((name) => `!lib/documents/${name}.ts`)],
  generation: ["lib/generation/**/*.ts"],
  /** What a model request is: the stream, its seams, watchdog, errors and providers. */
  "generation-stream": generationStream.map((name) => `lib/generation/${name}.ts`),
  /** What runs a generation: the job, the registry and the passes (every other file of lib/generation). */
  "generation-jobs": ["lib/generation/*.ts", ...generationStream.map((name) => `!lib/generation/${name}.ts`)],
  "generation-parallel": ["lib/generation/parallel/**/*.ts"],
  "generation-repair": ["lib/generation/repair/**/*.ts"],
};
const scope = process.env.MUTATION_SCOPE;
if (scope && !(scope in scopes)) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(scopes).join(", ")}`);
const mutate = scope ? scopes[/** @type {keyof typeof scopes} */ (scope)] : [...scopes.http, ...scopes.documents, ...scopes.generation];
// A run on the unit tests alone (MUTATION_TESTS=unit, vitest.mutation.config.ts) keeps a report and incremental file of its own.
const reportName = `${scope ?? "all"}${process.env.MUTATION_TESTS === "unit" ? "-unit" : ""}`;

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
  mutate,
  coverageAnalysis: "perTest",
  // Module-level constants would need the whole suite per mutant; their effects are covered by behaviour tests.
  ignoreStatic: true,
  concurrency: 2,
  // A mutant that runs past its tests' own time by this much is looping (Stryker counts it as detected). The
  // API suites' real sockets and retries need the long margin; the unit tests (MUTATION_TESTS=unit) finish in milliseconds.
  timeoutMS: process.env.MUTATION_TESTS === "unit" ? 5_000 : 30_000,
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
