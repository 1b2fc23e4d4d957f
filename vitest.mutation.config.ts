import { defineConfig } from "vitest/config";
import { UnitTestsFirstSequencer } from "./stryker/unit-tests-first-sequencer";
import { sharedResolve, sharedTest } from "./vitest.shared";

/**
 * The tests that exercise lib/generation, lib/documents and lib/http, on SQLite only, for
 * `npm run test:mutation`. StrykerJS runs the covering tests once per mutant, so unrelated suites
 * (Markdown, sections, examples) and the PostgreSQL/cluster projects, which test the same code
 * against other back ends, stay out. No `projects` here: the vitest runner wants one plain project.
 */
export default defineConfig({
  resolve: sharedResolve,
  test: {
    ...sharedTest,
    include: ["tests/{api,generation,http,events,document,documents,parallel,repair,unit}/**/*.test.ts"],
    env: { STUDIO_TEST_BACKEND: "sqlite" },
    sequence: { sequencer: UnitTestsFirstSequencer },
  },
});
