import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { topicKey, topicSlug } from "@/lib/documents/topic";

const LIBRARY_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), "lib", "examples", "library");

export interface LibraryExample {
  slug: string;
  topic: string;
  markdown: string;
}

function readTitle(markdown: string, file: string): string {
  const match = /^# (.+)$/m.exec(markdown);
  if (!match?.[1]) throw new Error(`${file} has no "# Title" line`);
  return match[1].trim();
}

/** The team-written example documents, read once per process. */
export function loadLibrary(directory: string = LIBRARY_DIR): LibraryExample[] {
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith(".md"));
  } catch {
    return [];
  }
  return files.sort().map((file) => {
    const markdown = readFileSync(path.join(directory, file), "utf8");
    const topic = readTitle(markdown, file);
    return { slug: topicSlug(topic), topic, markdown };
  });
}

let cached: LibraryExample[] | undefined;

export function getLibrary(): LibraryExample[] {
  cached ??= loadLibrary();
  return cached;
}

export function findExampleByTopic(topic: string): LibraryExample | undefined {
  const key = topicKey(topic);
  return getLibrary().find((example) => topicKey(example.topic) === key);
}

export function findExampleBySlug(slug: string): LibraryExample | undefined {
  return getLibrary().find((example) => example.slug === slug);
}
