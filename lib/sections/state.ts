/**
 * Folded analyzer state. Everything the report needs is here, so a report never
 * re-reads the text. Provisional copies (for the unfinished last line) copy only
 * what one line can change.
 */
import { clonePlain } from "./clone";
import { newDocState, type DocState } from "./document-rules";
import type { OpenFence } from "./fence";
import { SECTION_CHECKS } from "./checks";
import { SECTIONS } from "./rubric";

export interface SectionSlot {
  number: number;
  found: boolean;
  start: number | null;
  end: number | null;
  heading: string | null;
  /** Heading level of the section heading (7 = whole bold line). */
  level: number;
  /** The section check's own state. */
  check: unknown;
  /** Changes whenever this slot changes; keys the report cache. Unique across copies. */
  stamp: number;
}

/** Shared by an analyzer and its provisional copies so stamps never collide. */
export interface StampSource {
  next: number;
}

export interface AnalyzerState {
  stamps: StampSource;
  lineNo: number;
  /** Offset (UTF-16) of the first character not yet folded. */
  offset: number;
  fence: OpenFence | null;
  prevBlank: boolean;
  listContext: boolean;
  /** Inside an (unwanted) indented code block. */
  inIndentedCode: boolean;
  /** Section receiving content: 0 before the first, -1 inside a duplicate heading's body. */
  current: number;
  /** Most recently opened section (the `writing` one while streaming), 0 if none. */
  lastOpened: number;
  highest: number;
  sectionLevel: number | null;
  slots: SectionSlot[];
  doc: DocState;
  docStamp: number;
  /** A throw-away copy used to fold the unfinished tail line (copy-on-write below). */
  provisional: boolean;
  /** Bit n-1 set once slot n has been copied in this provisional state. */
  copiedSlots: number;
  docCopied: boolean;
}

export function newAnalyzerState(): AnalyzerState {
  const stamps: StampSource = { next: 1 };
  return {
    stamps,
    lineNo: 0,
    offset: 0,
    fence: null,
    prevBlank: true,
    listContext: false,
    inIndentedCode: false,
    current: 0,
    lastOpened: 0,
    highest: 0,
    sectionLevel: null,
    slots: SECTIONS.map((section, index) => ({
      number: section.number,
      found: false,
      start: null,
      end: null,
      heading: null,
      level: 0,
      check: SECTION_CHECKS[index]?.create(),
      stamp: 0,
    })),
    doc: newDocState(),
    docStamp: 0,
    provisional: false,
    copiedSlots: 0,
    docCopied: false,
  };
}

/**
 * Copy for folding the unfinished tail line. Slots and the document rules are copied
 * lazily, on first write (see writableSlot / writableDoc), because one line touches at
 * most the current section, the one its heading opens, and rarely the document rules.
 */
export function provisionalCopy(state: AnalyzerState): AnalyzerState {
  return {
    ...state,
    fence: state.fence ? { ...state.fence } : null,
    slots: state.slots.slice(),
    provisional: true,
    copiedSlots: 0,
    docCopied: false,
  };
}

/** Slot n, copied first when this is a provisional state (never mutates the real one). */
export function writableSlot(state: AnalyzerState, number: number): SectionSlot | undefined {
  const slot = state.slots[number - 1];
  if (!slot || !state.provisional) return slot;
  const bit = 1 << (number - 1);
  if (state.copiedSlots & bit) return slot;
  const copy = { ...slot, check: clonePlain(slot.check) };
  state.slots[number - 1] = copy;
  state.copiedSlots |= bit;
  return copy;
}

export function writableDoc(state: AnalyzerState): DocState {
  if (state.provisional && !state.docCopied) {
    state.doc = clonePlain(state.doc);
    state.docCopied = true;
  }
  return state.doc;
}
