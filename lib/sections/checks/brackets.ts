/**
 * Cheap, line-at-a-time bracket balance for TypeScript blocks ("does it look like it
 * parses?"). Strings, template literals and comments are skipped; state carries across
 * lines so block comments and template literals may span lines. Not a parser: regex
 * literals and `${}` nesting are approximated.
 */
export interface BracketState {
  depth: number;
  negative: boolean;
  inBlockComment: boolean;
  inTemplate: boolean;
}

export const newBracketState = (): BracketState => ({ depth: 0, negative: false, inBlockComment: false, inTemplate: false });

export function bracketScan(state: BracketState, line: string): void {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    const next = line[i + 1];
    if (state.inBlockComment) {
      if (ch === "*" && next === "/") {
        state.inBlockComment = false;
        i++;
      }
      continue;
    }
    if (state.inTemplate) {
      if (ch === "\\") i++;
      else if (ch === "`") state.inTemplate = false;
      continue;
    }
    if (quote !== null) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "/" && next === "/") return;
    if (ch === "/" && next === "*") {
      state.inBlockComment = true;
      i++;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "`") {
      state.inTemplate = true;
    } else if (ch === "(" || ch === "{" || ch === "[") {
      state.depth++;
    } else if (ch === ")" || ch === "}" || ch === "]") {
      state.depth--;
      if (state.depth < 0) state.negative = true;
    }
  }
}
