"use client";

import { useEffect, useRef, useState } from "react";
import type { SectionReport } from "@/lib/sections/analyzer";
import { sectionAnnouncements } from "./section-announcements";

/**
 * The page's polite live region for section progress (see sectionAnnouncements). The report
 * arrives every frame while streaming; the region's text changes only when a section completes.
 */
export function SectionAnnouncer({ report }: { report: SectionReport }) {
  const previous = useRef<SectionReport | null>(null);
  const [message, setMessage] = useState("");
  useEffect(() => {
    const messages = sectionAnnouncements(previous.current, report);
    previous.current = report;
    if (messages.length > 0) setMessage(messages.join(" "));
  }, [report]);
  return (
    <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="section-announcer">
      {message}
    </p>
  );
}
