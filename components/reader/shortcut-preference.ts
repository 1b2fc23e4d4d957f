"use client";

import { storedPreference } from "@/components/preferences/stored-preference";

/**
 * Single-key shortcuts (j, k, ?) can be turned off (WCAG 2.1.4: they fire on one printable key,
 * which speech-input users trigger by accident). Remembered per browser.
 */
const shortcuts = storedPreference<"on" | "off">("studio-shortcuts", (stored) => (stored === "off" ? "off" : "on"), "on");

export function setShortcutsEnabled(enabled: boolean): void {
  shortcuts.set(enabled ? "on" : "off");
}

export function useShortcutsEnabled(): boolean {
  return shortcuts.use() === "on";
}
