"use client";

import { useState } from "react";

/**
 * Copies the code of the block it sits in, as plain text: the <code> element's textContent, read
 * when clicked (highlighting spans flatten away; model output is never copied as HTML). Reading
 * the DOM on click keeps the button free of per-frame work while the document streams.
 */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No async clipboard (plain-HTTP origin): a temporary textarea and the legacy copy command.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    if (!copied) throw new Error("copy refused");
  }
}

export function CopyCodeButton({ label }: { label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      className="md-copy"
      aria-label={state === "idle" ? `Copy ${label} code` : undefined}
      onClick={async (event) => {
        const code = event.currentTarget.closest(".md-code")?.querySelector("pre > code, pre");
        try {
          await copyText(code?.textContent ?? "");
          setState("copied");
        } catch {
          setState("failed");
        }
        setTimeout(() => setState("idle"), 2_000);
      }}
    >
      {state === "idle" ? "Copy" : state === "copied" ? "Copied" : "Copy failed"}
    </button>
  );
}
