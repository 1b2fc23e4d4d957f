/**
 * Download file names for a document, readable in every script: "N+1 Query Problem" →
 * "n+1-query-problem.md", "限流设计" → "限流设计.md". The Unicode name goes in `filename*`, the ASCII
 * fallback (accents stripped, other scripts dropped) in `filename`.
 */
import { truncateGraphemes } from "./truncate-graphemes";

const MAX_NAME_GRAPHEMES = 80;
const FALLBACK_STEM = "design-document";

/**
 * Letters, marks and digits of any script, and "+" (as in "N+1"); every run of anything else
 * becomes one "-", so a stem starts or ends with at most one.
 */
export function unicodeFileStem(topic: string): string {
  const stem = topic
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}+]+/gu, "-")
    .replace(/^-|-$/g, "");
  return truncateGraphemes(stem, MAX_NAME_GRAPHEMES).replace(/-$/, "") || FALLBACK_STEM;
}

export function asciiFileStem(topic: string): string {
  const stem = topic
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9+]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, MAX_NAME_GRAPHEMES)
    .replace(/-$/, "");
  // A name made only of separators and "+" says nothing about the topic.
  return /[a-z0-9]/.test(stem) ? stem : FALLBACK_STEM;
}

/** The latest text is named after the topic alone; an earlier version asked for by number gets `-vN` ("rate-limiting-v2.md"). */
export function documentFileName(topic: string, extension: "md" | "pdf", version?: number): { unicode: string; ascii: string } {
  const suffix = version === undefined ? "" : `-v${version}`;
  return { unicode: `${unicodeFileStem(topic)}${suffix}.${extension}`, ascii: `${asciiFileStem(topic)}${suffix}.${extension}` };
}
