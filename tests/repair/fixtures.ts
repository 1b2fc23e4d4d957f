import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { findDamage, deficientDraft } from "@/lib/examples/deficient-drafts";

const LIBRARY = path.join(process.cwd(), "lib", "examples", "library");

export const libraryFiles = readdirSync(LIBRARY).filter((file) => file.endsWith(".md")).sort();
export const library = (file: string) => readFileSync(path.join(LIBRARY, file), "utf8");
export const REQUEST_DEDUPLICATION = library("request-deduplication.md");

export const draft = (markdown: string, ...damages: string[]) => deficientDraft(markdown, damages.map(findDamage));
