import { defineConfig } from "vitest/config";
import { sharedResolve, sharedTest } from "./vitest.shared";

/** Integration tests that need a database run once per back end. */
const DATABASE_TESTS = ["tests/api/**/*.test.ts", "tests/store/**/*.test.ts"];

export default defineConfig({
  resolve: sharedResolve,
  test: {
    ...sharedTest,
    projects: [
      {
        extends: true,
        test: {
          // Unit tests, and the integration tests against a SQLite file per test file.
          name: "sqlite",
          include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
          exclude: ["tests/postgres/**"],
          env: { STUDIO_TEST_BACKEND: "sqlite" },
        },
      },
      {
        extends: true,
        test: {
          // The same integration tests against a real PostgreSQL server (a database per test file,
          // dropped after it), and the tests only PostgreSQL needs (migrate-data). With CI set an
          // unreachable server fails the run; locally the tests are skipped with set-up instructions.
          name: "postgres",
          include: [...DATABASE_TESTS, "tests/postgres/**/*.test.ts"],
          env: { STUDIO_TEST_BACKEND: "postgres" },
          globalSetup: ["tests/support/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
