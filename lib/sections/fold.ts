/**
 * Folds one finished line into the analyzer state. Each line is seen once (plus the
 * unfinished tail line, folded into a provisional copy at report time), which is what
 * makes streaming analysis cost proportional to the new text.
 */
import { SECTION_CHECKS } from "./checks";
import { foldDocumentLine } from "./document-rules";
import { addFenceLine, closesFence, openFence, type OpenFence } from "./fence";
import { classifyHeading, headingCandidate } from "./headings";
import { parseLine, visibleHeading, type LineInfo } from "./line";
import { writableDoc, writableSlot, type AnalyzerState, type SectionSlot } from "./state";

const INDENTED = /^(?: {4}|\t)/;

function stamp(state: AnalyzerState): number {
  return state.stamps.next++;
}

/** The section receiving content, ready to be written to. */
function currentSlot(state: AnalyzerState): SectionSlot | undefined {
  return state.current > 0 ? writableSlot(state, state.current) : undefined;
}

function touch(state: AnalyzerState, slot: SectionSlot): void {
  slot.stamp = stamp(state);
}

/** Close the open fence (a closing line, or the document ending inside it). */
export function closeFence(state: AnalyzerState): void {
  const fence = state.fence;
  if (!fence) return;
  state.fence = null;
  notifyFence(state, fence, "fenceClose");
}

/** Tells the current section's check that a fence opened or closed. */
function notifyFence(state: AnalyzerState, fence: OpenFence, hook: "fenceOpen" | "fenceClose"): void {
  const slot = currentSlot(state);
  const handler = slot ? SECTION_CHECKS[slot.number - 1]?.[hook] : undefined;
  if (!slot || !handler) return;
  handler(slot.check, fence);
  touch(state, slot);
}

function endCurrentSection(state: AnalyzerState, at: number): void {
  const slot = currentSlot(state);
  if (slot && slot.end === null) {
    slot.end = at;
    touch(state, slot);
  }
}

function openSection(state: AnalyzerState, number: number, start: number, raw: string, level: number): void {
  endCurrentSection(state, start);
  const slot = writableSlot(state, number);
  if (!slot) return;
  slot.found = true;
  slot.start = start;
  slot.heading = visibleHeading(raw);
  slot.level = level;
  touch(state, slot);
  state.current = number;
  state.lastOpened = number;
  state.highest = Math.max(state.highest, number);
  state.sectionLevel ??= level;
  writableDoc(state).order.push(number);
  state.docStamp = stamp(state);
}

function foldFenceLine(state: AnalyzerState, raw: string): void {
  const fence = state.fence;
  if (!fence) return;
  if (closesFence(fence, raw)) {
    closeFence(state);
    return;
  }
  addFenceLine(fence, raw);
  const slot = currentSlot(state);
  const check = slot ? SECTION_CHECKS[slot.number - 1] : undefined;
  if (slot && check?.codeLine) {
    check.codeLine(slot.check, raw, fence);
    touch(state, slot);
  }
}

function foldHeading(state: AnalyzerState, line: LineInfo, start: number): boolean {
  const candidate = headingCandidate(line);
  if (!candidate) return false;
  const decision = classifyHeading(candidate, {
    found: [false, ...state.slots.map((slot) => slot.found)],
    highest: state.highest,
    sectionLevel: state.sectionLevel,
  });
  if (decision.kind === "section") {
    openSection(state, decision.number, start, line.raw, candidate.level);
    return true;
  }
  if (decision.kind === "duplicate") {
    // Judged on the first occurrence: the duplicate's body belongs to no section.
    endCurrentSection(state, start);
    state.current = -1;
    writableDoc(state).duplicates.push({ number: decision.number, lineNo: line.lineNo });
    state.docStamp = stamp(state);
    return true;
  }
  return false;
}

/** Fold one line. `length` is the number of UTF-16 units it occupies, newline included. */
export function foldLine(state: AnalyzerState, rawWithBreak: string, length: number): void {
  const raw = rawWithBreak.endsWith("\r") ? rawWithBreak.slice(0, -1) : rawWithBreak;
  const start = state.offset;
  state.offset += length;
  state.lineNo++;

  if (state.fence) {
    foldFenceLine(state, raw);
    return;
  }
  const fence = openFence(raw, state.lineNo, state.listContext);
  if (fence) {
    state.fence = fence;
    state.prevBlank = false;
    notifyFence(state, fence, "fenceOpen");
    return;
  }
  const blank = raw.trim() === "";
  // Indented code block: starts after a blank line outside lists, runs while indented.
  if (!blank && INDENTED.test(raw) && (state.inIndentedCode || (state.prevBlank && !state.listContext))) {
    if (!state.inIndentedCode) {
      writableDoc(state).indentedCodeLines.push(state.lineNo);
      state.docStamp = stamp(state);
    }
    state.inIndentedCode = true;
    state.prevBlank = false;
    return;
  }
  if (!blank) state.inIndentedCode = false;

  const line = parseLine(raw, state.lineNo, { prevBlank: state.prevBlank, listContext: state.listContext });
  if (line.kind === "list") state.listContext = true;
  else if (line.kind === "heading") state.listContext = false;
  else if (!blank && !line.inList) state.listContext = false;
  // A heading ends the block before it, like a blank line does.
  state.prevBlank = blank || line.kind === "heading";

  if (foldDocumentLine(() => writableDoc(state), line)) state.docStamp = stamp(state);
  if (foldHeading(state, line, start)) return;

  const slot = currentSlot(state);
  const check = slot ? SECTION_CHECKS[slot.number - 1] : undefined;
  if (slot && check) {
    check.line(slot.check, line);
    touch(state, slot);
  }
}
