import { createContext, useContext, type ReactNode } from "react";
import type { ExtraProps } from "react-markdown";
import { blockKey } from "@/lib/typecheck/blocks";
import type { TypecheckBlock, TypecheckDiagnostic } from "@/lib/typecheck/result";

/**
 * Type-check badges under the code blocks of the preview. The server's result is keyed by each
 * block's code (lib/typecheck/blocks), so a rendered <pre> finds its own result without
 * positions. Without a result nothing is added: the markup stays that of a plain render.
 */
export const TypecheckBadgesContext = createContext<ReadonlyMap<string, TypecheckBlock> | null>(null);

const SHOWN_DIAGNOSTICS = 8;

interface HastLike {
  type: string;
  value?: string;
  tagName?: string;
  properties?: { className?: unknown };
  children?: HastLike[];
}

function textOf(node: HastLike): string {
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}

function isTypeScriptCode(node: HastLike | undefined): node is HastLike {
  if (!node || node.tagName !== "code") return false;
  const classes = node.properties?.className;
  return Array.isArray(classes) && classes.some((name) => name === "language-ts" || name === "language-typescript");
}

/** The badge of a rendered `pre` block (its hast node), when the server's type check covers it. */
export function useTypecheckBadge(node: ExtraProps["node"]): ReactNode {
  const badges = useContext(TypecheckBadgesContext);
  if (!badges || !node) return null;
  const code = (node as HastLike).children?.find((child) => child.type === "element");
  if (!isTypeScriptCode(code)) return null;
  const block = badges.get(blockKey(textOf(code)));
  return block ? <TypecheckBadge block={block} /> : null;
}

function describeDiagnostic(d: TypecheckDiagnostic): string {
  return `line ${d.line}: TS${d.code} ${d.message}`;
}

export function TypecheckBadge({ block }: { block: TypecheckBlock }) {
  const ok = block.errors === 0;
  const context = block.checkedAs === "section-5" ? " as part of section 5" : "";
  const advisories = block.diagnostics.filter((d) => d.severity === "advisory");
  const errors = block.diagnostics.filter((d) => d.severity === "error");
  return (
    <div className={`md-typecheck md-typecheck--${ok ? "ok" : "errors"}`} data-testid="typecheck-badge" data-status={ok ? "ok" : "errors"} role="note">
      <span className="md-typecheck-summary">
        <span aria-hidden="true">{ok ? "✓ " : "✕ "}</span>
        {ok ? `Type-checks${context}` : `${block.errors} type error${block.errors === 1 ? "" : "s"}${context}`}
      </span>
      {block.assumed.length > 0 ? <span className="md-typecheck-note"> · assumes from the text: {block.assumed.join(", ")}</span> : null}
      {advisories.length > 0 ? (
        <span className="md-typecheck-note"> · not checked (no type declarations): {[...new Set(advisories.map(moduleName))].join(", ")}</span>
      ) : null}
      {errors.length > 0 ? (
        <ul className="md-typecheck-errors">
          {errors.slice(0, SHOWN_DIAGNOSTICS).map((d, index) => (
            <li key={index}>{describeDiagnostic(d)}</li>
          ))}
          {block.errors > SHOWN_DIAGNOSTICS ? <li>and {block.errors - SHOWN_DIAGNOSTICS} more</li> : null}
        </ul>
      ) : null}
    </div>
  );
}

function moduleName(d: TypecheckDiagnostic): string {
  return /'([^']+)'/.exec(d.message)?.[1] ?? d.message;
}
