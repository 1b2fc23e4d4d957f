import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Modules that hold secrets, storage or the HTTP edge: never part of a browser bundle. */
const SERVER_MODULES = ["@/lib/studio", "@/lib/server-startup", "@/lib/instance-id", "@/lib/health/*", "@/lib/store/*", "@/lib/generation/*", "@/lib/http/*", "@/lib/prompts/*", "@/lib/config/*"];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: ["node_modules/**", ".next/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "bench/render/dist/**", "reports/**", ".stryker-tmp/**"],
  },
  {
    // The domain speaks no HTTP: use cases throw DocumentError, and lib/http maps it to statuses.
    files: ["lib/documents/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/http/*", "../http/*"], message: "lib/documents must not depend on HTTP: throw a DocumentError instead." }] }],
    },
  },
  {
    // Components run in the browser (or render on the server for it): no server modules, except their types.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: SERVER_MODULES, allowTypeImports: true, message: "Components must not import server modules; use lib/client/studio-api or a browser-safe module." }] },
      ],
    },
  },
  {
    // useStudioHarness and useTestDatabase register vitest hooks, not React hooks; the name is the team's convention.
    files: ["tests/api/**", "tests/store/**", "tests/postgres/**", "tests/cluster/**", "tests/support/provider-fault-suite.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
