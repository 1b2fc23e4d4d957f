"use client";

import { useEffect, useRef } from "react";
import { setShortcutsEnabled, useShortcutsEnabled } from "./shortcut-preference";

const SHORTCUTS = [
  ["j", "Next section"],
  ["k", "Previous section"],
  ["?", "Show these shortcuts"],
] as const;

/** The list of keyboard shortcuts, with the switch that turns them off (WCAG 2.1.4). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const enabled = useShortcutsEnabled();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog ref={dialog} className="shortcuts-dialog" aria-labelledby="shortcuts-title" onClose={onClose} data-testid="shortcuts-dialog">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map(([key, action]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="shortcuts-toggle">
        <input type="checkbox" checked={enabled} onChange={(event) => setShortcutsEnabled(event.target.checked)} /> Single-key shortcuts on
      </label>
      <p className="hint">Turn them off if you use speech input or they get in your way. Escape closes this.</p>
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
