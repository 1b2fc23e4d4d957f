import { defineConfig } from "vitest/config";
import { UnitTestsFirstSequencer } from "./stryker/unit-tests-first-sequencer";
import { sharedResolve, sharedTest } from "./vitest.shared";

/**
 * The tests that exercise lib/generation, lib/documents and lib/http, on SQLite only, for
 * `npm run test:mutation`. StrykerJS runs the covering tests once per mutant, so unrelated suites
 * (Markdown, sections, examples) and the PostgreSQL/cluster projects, which test the same code
 * against other back ends, stay out. No `projects` here: the vitest runner wants one plain project.
 */
const UNIT_FOLDERS = "generation,http,events,document,documents,parallel,repair,unit";
/**
 * `MUTATION_TESTS=unit` leaves out the API suites (tests/api: route handlers, the fake model server,
 * timeouts of seconds): a surviving mutant then costs seconds instead of minutes. Every mutant such
 * a run counts as killed is killed by the full suite too, so its score is a lower bound.
 */
const testFolders = process.env.MUTATION_TESTS === "unit" ? UNIT_FOLDERS : `api,${UNIT_FOLDERS}`;

export default defineConfig({
  resolve: sharedResolve,
  test: {
    ...sharedTest,
    include: [`tests/{${testFolders}}/**/*.test.ts`],
    env: { STUDIO_TEST_BACKEND: "sqlite" },
    sequence: { sequencer: UnitTestsFirstSequencer },
  },
});
