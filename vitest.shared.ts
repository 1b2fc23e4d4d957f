import { fileURLToPath } from "node:url";

/** What every vitest configuration of the project shares (the test suites', the mutation run's). */
export const sharedResolve = {
  alias: {
    "@": fileURLToPath(new URL("./", import.meta.url)),
    // Outside Next.js the package throws on import; the build enforces the boundary instead.
    "server-only": fileURLToPath(new URL("./tests/support/server-only-stub.ts", import.meta.url)),
  },
};

export const sharedTest = {
  environment: "node",
  testTimeout: 20_000,
  hookTimeout: 30_000,
} as const;
