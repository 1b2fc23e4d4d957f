import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The tests that exercise lib/generation, lib/documents and lib/http, on SQLite only, for
 * `npm run test:mutation`. StrykerJS runs the covering tests once per mutant, so unrelated suites
 * (Markdown, sections, examples) and the PostgreSQL/cluster projects, which test the same code
 * against other back ends, stay out. No `projects` here: the vitest runner wants one plain project.
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      "server-only": fileURLToPath(new URL("./tests/support/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    include: ["tests/{api,generation,http,events,document,documents,parallel,repair,unit}/**/*.test.ts"],
    env: { STUDIO_TEST_BACKEND: "sqlite" },
  },
});
