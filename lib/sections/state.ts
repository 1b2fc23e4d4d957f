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
  };
}

/**
 * Copy for folding the unfinished tail line. One line can change the global scalars,
 * the current section's check state, the bounds of two slots, and the document rules;
 * only those are deep-copied (ended sections keep sharing their frozen-in-practice state).
 */
export function provisionalCopy(state: AnalyzerState): AnalyzerState {
  const slots = state.slots.map((slot) => (slot.number === state.current ? { ...slot, check: clonePlain(slot.check) } : { ...slot }));
  return {
    ...state,
    fence: state.fence ? { ...state.fence } : null,
    slots,
    doc: clonePlain(state.doc),
  };
}
