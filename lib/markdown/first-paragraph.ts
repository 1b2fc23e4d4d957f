import type { Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/**
 * The first top-level paragraph of a Markdown document as plain text, for link previews
 * (og:description). Model output is untrusted: the result carries no Markdown syntax and no HTML
 * (raw HTML nodes are dropped, not unescaped), no control characters, and is cut at a word
 * boundary without splitting a character. React escapes it when it becomes an attribute.
 */
export const DESCRIPTION_MAX_LENGTH = 200;

/** Only the head of a long document is parsed: the first paragraph sits near the top. */
const PARSE_WINDOW = 16_384;

function plainText(node: Nodes): string {
  switch (node.type) {
    case "html": // raw HTML from the model: never part of a description
    case "image":
    case "imageReference":
    case "footnoteReference":
      return "";
    case "text":
    case "inlineCode":
      return node.value;
    case "break":
      return " ";
    default:
      return "children" in node ? node.children.map((child) => plainText(child as Nodes)).join("") : "";
  }
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Cuts to at most `max` UTF-16 units at a word boundary (or a grapheme boundary), adding "…". */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = "";
  for (const { segment } of graphemes.segment(text)) {
    if (cut.length + segment.length > max - 1) break;
    cut += segment;
  }
  const space = cut.lastIndexOf(" ");
  if (space >= max * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,.;:–—-]+$/u, "")}…`;
}

export function firstParagraphText(markdown: string, max = DESCRIPTION_MAX_LENGTH): string | null {
  let head = markdown.slice(0, PARSE_WINDOW);
  if (!head.isWellFormed()) head = head.toWellFormed(); // a slice may cut a surrogate pair
  const tree: Root = fromMarkdown(head, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  for (const node of tree.children) {
    if (node.type !== "paragraph") continue;
    const text = plainText(node)
      // Control characters, bidi overrides and invisible spaces (ZWJ stays: it joins emoji).
      .replace(/[\p{Cc}\u200B\u200E\u200F\u202A-\u202E\u2028\u2029\u2060\u2066-\u2069\uFEFF]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim();
    if (text) return truncateText(text, max);
  }
  return null;
}
