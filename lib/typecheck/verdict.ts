/**
 * The section-5 item "the code type-checks", judged from the server's TypecheckResult.
 * Browser-safe: the analyzer calls it wherever it runs; the compiler itself never runs here.
 */
import type { TypecheckResult } from "./result";

export interface TypecheckVerdict {
  met: boolean;
  reason: string;
  /** No result yet: the item is neither met nor failed ("checking…"). */
  pending: boolean;
  /**
   * false when the check could not run: the item then does not count against the section
   * (nothing is known about the code; failing it would blame the document for the server).
   */
  counts: boolean;
}

const SHOWN_ERRORS = 3;

export function typecheckVerdict(result: TypecheckResult | undefined): TypecheckVerdict {
  if (!result) {
    return { met: false, pending: true, counts: true, reason: "Checking… the code is type-checked on the server once the document is finished." };
  }
  if (result.status === "unavailable") {
    return {
      met: false,
      pending: false,
      counts: false,
      reason: `Not type-checked: ${result.reason ?? "the type checker could not run"}. This does not count against the section.`,
    };
  }
  const { section5 } = result;
  if (section5.blocks === 0) return { met: false, pending: false, counts: true, reason: "No ```ts / ```typescript block in this section to type-check." };
  if (section5.errors > 0) {
    const errors = section5.diagnostics.filter((d) => d.severity === "error");
    const shown = errors
      .slice(0, SHOWN_ERRORS)
      .map((d) => `block ${blockOrdinal(result, d.block)} line ${d.line}: TS${d.code} ${d.message}`)
      .join("; ");
    const more = section5.errors > SHOWN_ERRORS ? `; and ${section5.errors - SHOWN_ERRORS} more` : "";
    const text = `${plural(section5.errors, "type error")}: ${shown}${more}`;
    return { met: false, pending: false, counts: true, reason: text.endsWith(".") ? text : `${text}.` };
  }
  const compiler = result.compilerVersion ? ` (TypeScript ${result.compilerVersion})` : "";
  const unknown =
    section5.unknownModules.length > 0 ? ` Imports without known type declarations were not checked: ${section5.unknownModules.join(", ")}.` : "";
  return { met: true, pending: false, counts: true, reason: `Type-checks under strict settings${compiler}.${unknown}` };
}

/** 1-based position of a block among section 5's blocks (how a reader counts them). */
function blockOrdinal(result: TypecheckResult, index: number): number {
  const inSection = result.blocks.filter((block) => block.section === 5).map((block) => block.index);
  const at = inSection.indexOf(index);
  return at === -1 ? index + 1 : at + 1;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
