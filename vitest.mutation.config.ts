import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The tests that exercise lib/generation, lib/documents and lib/http, for `npm run test:mutation`
 * (StrykerJS runs them once per mutant, so unrelated suites — Markdown, sections — stay out).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ["tests/{api,generation,http,events,document,unit}/**/*.test.ts"],
    },
  }),
);
