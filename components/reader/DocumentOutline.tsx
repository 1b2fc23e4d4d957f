"use client";

import { memo, useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { adjacentHeadingIndex, currentHeadingIndex } from "./heading-navigation";
import { useShortcutsEnabled } from "./shortcut-preference";
import { outlineEntries, type OutlineEntry } from "./outline-entries";
import { ShortcutsDialog } from "./ShortcutsDialog";

interface DocumentOutlineProps {
  /** The element holding the rendered document. */
  documentRef: RefObject<HTMLElement | null>;
  /** Changes whenever the rendered text may have changed (its length, or which version is shown): headings are re-read then. */
  version: number | string;
}

const HEADINGS_SELECTOR = ".md-preview > h2, .md-preview > h3";

function smoothness(): ScrollBehavior {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
}

/** Scrolls to a heading and moves focus there, so screen readers continue reading from it. */
function goTo(element: HTMLElement): void {
  element.scrollIntoView({ behavior: smoothness(), block: "start" });
  if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
  element.focus({ preventScroll: true });
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/**
 * Table of contents built from the rendered H2/H3 headings, the current one highlighted while
 * scrolling, and single-key navigation: j / k to the next / previous section, ? for the list of
 * shortcuts (where they can be turned off).
 *
 * Cost while streaming: the headings are re-read (a selector over top-level blocks) only when the
 * text changed, and the list re-renders only when the headings or the current one change; the
 * rendered Markdown blocks are never touched.
 */
export function DocumentOutline({ documentRef, version }: DocumentOutlineProps) {
  const [entries, setEntries] = useState<OutlineEntry[]>([]);
  const [active, setActive] = useState(-1);
  const [dialogOpen, setDialogOpen] = useState(false);
  const shortcutsEnabled = useShortcutsEnabled();
  const elements = useRef<HTMLElement[]>([]);
  const signature = useRef("");

  const updateActive = useCallback(() => {
    const list = elements.current;
    setActive(currentHeadingIndex((index) => list[index]!.getBoundingClientRect().top, list.length));
  }, []);

  // Re-read the headings after each committed text change.
  useEffect(() => {
    const { headings, entries: next } = outlineEntries([...(documentRef.current?.querySelectorAll<HTMLElement>(HEADINGS_SELECTOR) ?? [])]);
    elements.current = headings;
    const nextSignature = next.map((entry) => `${entry.level}${entry.text}`).join("\n");
    if (nextSignature !== signature.current) {
      signature.current = nextSignature;
      setEntries(next);
      updateActive();
    }
  }, [documentRef, version, updateActive]);

  // Scroll spy, at most once per frame.
  useEffect(() => {
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        updateActive();
      });
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
    };
  }, [updateActive]);

  // j / k / ? — single printable keys, so only when enabled, never while typing or with modifiers.
  useEffect(() => {
    if (!shortcutsEnabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing || isTyping(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      if (event.key === "?") {
        event.preventDefault();
        setDialogOpen(true);
        return;
      }
      if (event.key !== "j" && event.key !== "k") return;
      const sections = elements.current.filter((element) => element.tagName === "H2");
      const target = adjacentHeadingIndex(
        sections.map((element) => element.getBoundingClientRect().top),
        event.key === "j" ? 1 : -1,
      );
      if (target === null) return;
      event.preventDefault();
      goTo(sections[target]!);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [shortcutsEnabled]);

  const select = useCallback((index: number) => {
    const element = elements.current[index];
    if (element) goTo(element);
  }, []);

  return (
    <nav className="outline" aria-label="Table of contents" data-testid="outline">
      <div className="outline-header">
        <h2 className="outline-heading">Contents</h2>
        <button type="button" className="outline-shortcuts" onClick={() => setDialogOpen(true)} aria-haspopup="dialog">
          Keyboard shortcuts
        </button>
      </div>
      {entries.length === 0 ? <p className="outline-empty">Headings appear here as the document is written.</p> : <OutlineList entries={entries} active={active} onSelect={select} />}
      <ShortcutsDialog open={dialogOpen} onClose={() => setDialogOpen(false)} />
    </nav>
  );
}

const OutlineList = memo(function OutlineList({ entries, active, onSelect }: { entries: OutlineEntry[]; active: number; onSelect: (index: number) => void }) {
  return (
    <ol className="outline-list">
      {entries.map((entry, index) => (
        <li key={index} className={`outline-item outline-level-${entry.level}`}>
          <button type="button" className="outline-link" aria-current={index === active ? "location" : undefined} onClick={() => onSelect(index)}>
            {entry.text}
          </button>
        </li>
      ))}
    </ol>
  );
});
