import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Integration tests that need a database run once per back end. */
const DATABASE_TESTS = ["tests/api/**/*.test.ts", "tests/store/**/*.test.ts"];

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // Outside Next.js the package throws on import; the build enforces the boundary instead.
      "server-only": fileURLToPath(new URL("./tests/support/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
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
