/**
 * The one set of react-markdown settings used everywhere Markdown is rendered:
 * the preview's per-block renderer, its server (permalink) render, and the
 * benchmark's naive baseline. Keeping them in one place is what makes
 * "streamed render == one-shot render" a meaningful guarantee.
 *
 * Security: model output is untrusted. Raw HTML is skipped (`skipHtml`, no
 * rehype-raw), URLs go through `safeUrl`, and images are never fetched.
 */
import { createElement, Fragment, type ComponentPropsWithoutRef } from "react";
import type { Components, ExtraProps, Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { isExternalUrl, safeUrl } from "@/lib/markdown/safe-url";
import { CodeFrame, isDiagram } from "./CodeFrame";
import { useTypecheckBadge } from "./typecheck-badges";


const remarkPlugins = [remarkGfm] satisfies Options["remarkPlugins"];

type HighlightTransform = ReturnType<typeof rehypeHighlight>;
let sharedHighlightTransform: HighlightTransform | undefined;

/**
 * rehype-highlight, set up once. react-markdown builds a new unified processor
 * on every render, and rehype-highlight's attacher creates a fresh lowlight
 * instance each time — re-registering ~37 grammars and recompiling their
 * regexes on first use. That cost ~7 ms per render, more than parsing a block.
 * The transform only closes over its settings, so sharing it is safe.
 * detect: false — only fences with a language are highlighted (guessing is slow and unstable mid-stream).
 */
function rehypeHighlightShared(): HighlightTransform {
  sharedHighlightTransform ??= rehypeHighlight({ detect: false });
  return sharedHighlightTransform;
}

const rehypePlugins = [rehypeHighlightShared] satisfies Options["rehypePlugins"];

function MarkdownLink({ node: _node, href, children, ...rest }: ComponentPropsWithoutRef<"a"> & ExtraProps) {
  void _node;
  if (!href) return createElement("span", { className: "md-link-removed" }, children);
  const rel = isExternalUrl(href) ? "noopener noreferrer nofollow" : undefined;
  return createElement("a", { ...rest, href, rel }, children);
}

/** Images would be fetched by the reader's browser (tracking beacons): show inert text instead. */
function MarkdownImage({ alt }: ComponentPropsWithoutRef<"img"> & ExtraProps) {
  return createElement("span", { className: "md-image-placeholder" }, `[image: ${alt || "untitled"}]`);
}

type HastNode = NonNullable<ExtraProps["node"]> | NonNullable<ExtraProps["node"]>["children"][number];

function hastText(node: HastNode): string {
  if (node.type === "text") return node.value;
  return "children" in node ? node.children.map((child) => hastText(child as HastNode)).join("") : "";
}

/** Fenced code: framed with its language and a copy button (CodeFrame), as the streaming block is. */
function MarkdownPre({ node, children }: ComponentPropsWithoutRef<"pre"> & ExtraProps) {
  const code = node?.children.find((child) => child.type === "element" && child.tagName === "code");
  const classes = code && code.type === "element" ? code.properties.className : undefined;
  const languageClass = Array.isArray(classes) ? classes.find((name) => String(name).startsWith("language-")) : undefined;
  const language = languageClass ? String(languageClass).slice("language-".length) : "";
  const kind = isDiagram(language, code ? hastText(code) : "") ? "diagram" : "code";
  const frame = createElement(CodeFrame, { language, kind }, children);
  // The server's type check of this block, when there is one (finished documents only).
  const badge = useTypecheckBadge(node);
  return badge ? createElement(Fragment, null, frame, badge) : frame;
}

/** GFM task-list checkboxes are read-only marks; they still need a name (axe: label). */
function MarkdownInput({ node: _node, ...props }: ComponentPropsWithoutRef<"input"> & ExtraProps) {
  void _node;
  if (props.type !== "checkbox") return createElement("input", props);
  return createElement("input", { ...props, "aria-label": props.checked ? "Done" : "Not done" });
}

const markdownComponents: Components = { a: MarkdownLink, img: MarkdownImage, pre: MarkdownPre, input: MarkdownInput };

/** Props spread onto every <Markdown> (children excluded). */
export const markdownOptions = {
  remarkPlugins,
  rehypePlugins,
  components: markdownComponents,
  skipHtml: true,
  urlTransform: safeUrl,
} satisfies Omit<Options, "children">;
