import type { SectionResult } from "@/lib/sections/analyzer";

const normalize = (text: string) => text.replace(/\s+/g, " ").trim().toLowerCase();

/**
 * Scrolls the rendered document to a section's heading. The analyzer knows the heading's
 * visible text; the rendered DOM is searched for the first block that starts with it, which
 * also finds headings written as a bold line rather than a Markdown heading.
 */
export function scrollToSection(container: HTMLElement | null, section: SectionResult): void {
  if (!container || !section.heading) return;
  const wanted = normalize(section.heading);
  const candidates = container.querySelectorAll<HTMLElement>("h1, h2, h3, h4, p");
  for (const element of candidates) {
    if (normalize(element.textContent ?? "").startsWith(wanted)) {
      element.scrollIntoView({ behavior: "smooth", block: "start" });
      return;
    }
  }
}
