import { unavailableResult } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";

/**
 * The compiler's verdict without the compiler, for tests of the repair and the registry: section 5
 * type-checks, unless the document contains `BROKEN` (one error naming it).
 */
export async function stubTypecheck(markdown: string): Promise<TypecheckResult> {
  const errors = markdown.includes("BROKEN") ? 1 : 0;
  const diagnostics = errors ? [{ block: 0, line: 1, column: 1, documentLine: 1, code: 2304, message: "Cannot find name 'BROKEN'.", severity: "error" as const }] : [];
  return { ...unavailableResult(markdown, ""), status: "checked", reason: null, compilerVersion: "5.9.3", section5: { blocks: 1, errors, advisories: 0, diagnostics, unknownModules: [] } };
}
