"use client";

import { useSyncExternalStore } from "react";

/**
 * Single-key shortcuts (j, k, ?) can be turned off (WCAG 2.1.4: they fire on one printable key,
 * which speech-input users trigger by accident). Remembered per browser.
 */
const STORAGE_KEY = "studio-shortcuts";
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== "off";
  } catch {
    return true;
  }
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function setShortcutsEnabled(enabled: boolean): void {
  try {
    if (enabled) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, "off");
  } catch {
    // Storage off: nothing to remember.
  }
  listeners.forEach((listener) => listener());
}

export function useShortcutsEnabled(): boolean {
  return useSyncExternalStore(subscribe, read, () => true);
}
