/**
 * Syntax highlighting for the code fence that is still streaming, producing a
 * small token tree (not HTML: nothing is ever injected as markup).
 *
 * Uses a private highlight.js instance with a tree-building emitter (the same
 * technique lowlight uses inside rehype-highlight), so the default hljs
 * instance other code may use is left untouched.
 */
import type { Emitter, HLJSApi } from "highlight.js";
import hljsCore from "highlight.js/lib/core";
import { commonLanguages } from "./highlight-languages";

export type TokenNode = string | { readonly className: string; readonly children: TokenNode[] };

interface ScopeNode {
  className: string;
  children: TokenNode[];
}

/** hljs scope "title.function" -> "hljs-title function_" (same rule as hljs / lowlight). */
function scopeClassName(scope: string): string {
  if (scope.startsWith("language:")) return scope.replace("language:", "language-");
  return scope
    .split(".")
    .map((piece, index) => (index === 0 ? `hljs-${piece}` : piece + "_".repeat(index)))
    .join(" ");
}

class TokenTreeEmitter implements Emitter {
  readonly root: ScopeNode = { className: "", children: [] };
  private readonly stack: ScopeNode[] = [this.root];

  private get current(): ScopeNode {
    return this.stack[this.stack.length - 1] ?? this.root;
  }

  addText(text: string): void {
    if (text === "") return;
    const children = this.current.children;
    const last = children[children.length - 1];
    if (typeof last === "string") children[children.length - 1] = last + text;
    else children.push(text);
  }

  // hljs core calls openNode/closeNode directly for simple scopes, startScope/endScope for the rest.
  openNode(scope: string): void {
    this.startScope(scope);
  }

  closeNode(): void {
    this.endScope();
  }

  startScope(scope: string): void {
    const node: ScopeNode = { className: scopeClassName(String(scope)), children: [] };
    this.current.children.push(node);
    this.stack.push(node);
  }

  endScope(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  __addSublanguage(other: Emitter, name: string): void {
    const children = (other as TokenTreeEmitter).root.children;
    if (name) this.current.children.push({ className: name, children });
    else this.current.children.push(...children);
  }

  finalize(): void {
    this.stack.length = 1;
  }

  toHTML(): string {
    return "";
  }
}

let instance: HLJSApi | null = null;

function highlighter(): HLJSApi {
  if (instance) return instance;
  const hljs = hljsCore.newInstance();
  for (const [name, grammar] of Object.entries(commonLanguages)) hljs.registerLanguage(name, grammar);
  hljs.configure({ __emitter: TokenTreeEmitter, classPrefix: "hljs-" });
  instance = hljs;
  return hljs;
}

export interface HighlightedCode {
  readonly tokens: TokenNode[];
  /**
   * True when the highlighter is back in the language's top-level mode at the
   * end of the code (not inside a string, comment, template…): highlighting
   * the following text on its own then gives the same tokens as highlighting
   * everything together, so the result can be cached and never redone.
   */
  readonly endsAtTopLevel: boolean;
}

export function isHighlightable(language: string): boolean {
  return Boolean(highlighter().getLanguage(language));
}

/** Highlights `code`; unknown languages come back as plain text. */
export function highlightCode(code: string, language: string): HighlightedCode {
  const hljs = highlighter();
  const grammar = hljs.getLanguage(language);
  if (!grammar) return { tokens: [code], endsAtTopLevel: true };
  const result = hljs.highlight(code, { language, ignoreIllegals: true });
  // A grammar error leaves a partial tree: show plain text and never cache it.
  if (result.errorRaised) return { tokens: [code], endsAtTopLevel: false };
  const emitter = result._emitter as TokenTreeEmitter;
  return { tokens: emitter.root.children, endsAtTopLevel: result._top === grammar };
}
