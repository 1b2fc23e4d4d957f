/**
 * Classifies one finished Markdown line (outside fenced code). The analyzer calls this
 * once per line; the result is what every section check looks at, so structure
 * (headings, list items, bold labels) is decided in one place.
 */
import { normalise, stripInlineMarkdown, stripMarkers } from "./text";

export type LineKind = "blank" | "heading" | "list" | "table" | "text";

export interface LineInfo {
  lineNo: number;
  raw: string;
  kind: LineKind;
  /** ATX heading level, 0 if not an ATX heading. */
  headingLevel: number;
  /** The whole line is bold (`**…**`), the way some models write headings. */
  boldOnly: boolean;
  ordered: boolean;
  checkbox: boolean;
  /** Inside a list item (the item line or its continuation). */
  inList: boolean;
  /** First line of a paragraph, list item or heading (co-occurrence scopes reset here). */
  startsBlock: boolean;
  /** Text after the heading/list marker, inline Markdown kept. */
  content: string;
  /** Lowercased visible text of the line (markers stripped). */
  text: string;
  /**
   * Lowercased label of the line, if it has one: heading text, a leading bold span,
   * a whole bold line, a leading "Label:" or the first table cell. Structural checks
   * (e.g. "has its own detection part") look only at labels.
   */
  label: string | null;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const LIST = /^(\s*)(?:([-*+])|(\d{1,3})[.)])[ \t]+(?:\[([ xX])\][ \t]+)?(.*)$/;
const BOLD_ONLY = /^ {0,3}(\*\*|__)(.+)\1\s*:?\s*$/;
const BOLD_LEAD = /^(?:\*\*|__)(.+?)(?:\*\*|__)/;
const PLAIN_LABEL = /^([\p{L}][\p{L}\p{N} '’/()&#-]{1,48}?)\s*:(?:\s|$)/u;

const LABEL_START = /^(?:[^\p{L}\p{N}\s]{1,3}\s*)?(?:\*\*|__)/u;

function labelOf(content: string): string | null {
  // A label sits at the start: a bold span, or "Label:" within the first ~50 characters.
  const head = content.slice(0, 120);
  if (!LABEL_START.test(head) && !head.slice(0, 52).includes(":")) return null;
  const lead = stripMarkers(head);
  const bold = BOLD_LEAD.exec(lead);
  if (bold?.[1]) return normalise(bold[1]).replace(/[:.\s]+$/, "");
  const plain = PLAIN_LABEL.exec(stripInlineMarkdown(lead));
  if (plain?.[1]) return plain[1].toLowerCase().trim();
  return null;
}

export interface LineContext {
  prevBlank: boolean;
  listContext: boolean;
}

export function parseLine(raw: string, lineNo: number, ctx: LineContext): LineInfo {
  const info: LineInfo = {
    lineNo, raw, kind: "text", headingLevel: 0, boldOnly: false, ordered: false, checkbox: false,
    inList: false, startsBlock: ctx.prevBlank, content: raw.trim(), text: "", label: null,
  };
  if (raw.trim() === "") {
    info.kind = "blank";
    info.inList = ctx.listContext;
    return info;
  }
  const atx = ATX.exec(raw);
  if (atx) {
    info.kind = "heading";
    info.headingLevel = atx[1]?.length ?? 0;
    info.content = atx[2] ?? "";
    info.startsBlock = true;
    info.text = normalise(info.content);
    info.label = info.text;
    return info;
  }
  const list = LIST.exec(raw);
  if (list) {
    info.kind = "list";
    info.ordered = list[3] !== undefined;
    info.checkbox = list[4] !== undefined;
    info.content = list[5] ?? "";
    info.inList = true;
    info.startsBlock = true;
  } else if (/^\s*\|/.test(raw)) {
    info.kind = "table";
    const firstCell = raw.split("|")[1] ?? "";
    info.label = /^[\s:-]*$/.test(firstCell) ? null : normalise(firstCell);
  } else {
    const indented = /^(?: {2,}|\t)/.test(raw);
    info.inList = ctx.listContext && (indented || !ctx.prevBlank);
    info.content = raw.trim().replace(/^>\s?/, "");
  }
  const bold = BOLD_ONLY.exec(raw);
  if (bold?.[2] && !bold[2].includes(bold[1] ?? "**")) info.boldOnly = true;
  info.text = normalise(info.content);
  if (info.kind !== "table") info.label = labelOf(info.content);
  return info;
}

/** Visible heading text (as written, Markdown markers stripped) for the sidebar. */
export function visibleHeading(raw: string): string {
  const atx = ATX.exec(raw);
  const inner = atx ? (atx[2] ?? "") : raw.trim();
  return stripInlineMarkdown(inner).replace(/:\s*$/, "").trim();
}
