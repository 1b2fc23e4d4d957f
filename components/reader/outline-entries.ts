/** One line of the table of contents. */
export interface OutlineEntry {
  level: 2 | 3;
  text: string;
}

/** What the outline needs of a rendered heading (an `HTMLElement` in the page). */
export interface HeadingLike {
  tagName: string;
  textContent: string | null;
}

/**
 * The headings the table of contents lists, with their entries, in document order. A heading with
 * no text yet (`### ` mid-stream, or a model's empty heading) is left out: its button would have no
 * name for a screen reader, and there is nothing to go to.
 */
export function outlineEntries<Heading extends HeadingLike>(found: readonly Heading[]): { headings: Heading[]; entries: OutlineEntry[] } {
  const headings = found.filter((heading) => (heading.textContent ?? "").trim() !== "");
  const entries = headings.map((heading): OutlineEntry => ({ level: heading.tagName === "H3" ? 3 : 2, text: heading.textContent!.trim() }));
  return { headings, entries };
}
