import type { ReactNode } from "react";
import { CopyCodeButton } from "./CopyCodeButton";

/** Fence languages (or none) that hold plain text: where ASCII diagrams live. */
const PLAIN_LANGUAGES = new Set(["", "text", "txt", "plain", "plaintext", "ascii", "diagram"]);
// Box-drawing and arrow characters, or ASCII-art corners and rules (+--, --+, |  |).
const DIAGRAM_MARKS = /[\u2500-\u257f\u2190-\u21ff\u25a0-\u25ff]|\+[-=]{2,}|[-=]{2,}\+|\|[^\n|]*\|/;

/** Whether a code block is a diagram: printed unwrapped and kept on one page. */
export function isDiagram(language: string, code: string): boolean {
  return PLAIN_LANGUAGES.has(language.toLowerCase()) && DIAGRAM_MARKS.test(code);
}

/**
 * The frame of every code block, finished or streaming: a bar with the language and a copy
 * button, then the <pre>. The <pre> is focusable because it scrolls sideways: keyboard users can
 * scroll it (WCAG 2.1.1).
 */
export function CodeFrame({ language, kind, children }: { language: string; kind: "diagram" | "code"; children?: ReactNode }) {
  const label = language || "text";
  return (
    <div className="md-code" data-language={label} data-kind={kind}>
      <div className="md-code-bar">
        <span className="md-code-language">{label}</span>
        <CopyCodeButton label={label} />
      </div>
      <pre tabIndex={0}>{children}</pre>
    </div>
  );
}
