import "server-only";
/**
 * The parts of the seed master prompt a repair request repeats. The seed is the user's own file
 * (prompts/master-prompt.txt), so each part has a fallback for a seed that does not have it.
 */

/** A block of the seed prompt: from its heading line up to the next blank-line-separated capitals heading ("" when it has none). */
export function seedBlock(seed: string, heading: string): string {
  const start = seed.indexOf(heading);
  if (start < 0) return "";
  const rest = seed.slice(start + heading.length);
  const end = rest.search(/\n\s*\n[A-Z][A-Z ()—"'+-]{6,}\n/);
  return (heading + (end < 0 ? rest : rest.slice(0, end))).trim();
}

/** The seed's "You are …" line, or a plain one when it has none. */
export function roleLine(seed: string): string {
  return /^You are .+$/m.exec(seed)?.[0] ?? "You are a senior backend systems engineer.";
}
