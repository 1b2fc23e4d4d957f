/** Bundles the benchmark page (React, react-markdown, streamdown, our preview) with esbuild into dist/. */
import { build } from "esbuild";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, "dist");

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>render bench</title>
<link rel="stylesheet" href="page.css"></head>
<body><div id="bench-root"></div><script src="page.js"></script></body></html>
`;

export async function buildBenchPage(): Promise<void> {
  await build({
    entryPoints: [path.join(here, "page.tsx")],
    outdir: distDir,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    minify: true,
    // Production React: development builds add checks that would dominate the timings.
    define: { "process.env.NODE_ENV": '"production"' },
    jsx: "automatic",
    alias: { "@": path.resolve(here, "../..") },
    loader: { ".woff": "empty", ".woff2": "empty", ".ttf": "empty" },
    logLevel: "warning",
  });
  await writeFile(path.join(distDir, "index.html"), INDEX_HTML);
}
