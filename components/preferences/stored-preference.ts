"use client";

import { useSyncExternalStore } from "react";

export interface StoredPreference<T> {
  /** The current value, re-rendering when it changes (in this tab or another). */
  use(): T;
  set(value: T): void;
}

/**
 * A reader's choice remembered in localStorage under `key`: the default is stored as no entry,
 * so "back to the default" really forgets. Storage may be off (private mode): the choice then
 * applies to this page only.
 */
export function storedPreference<T extends string>(key: string, parse: (stored: string | null) => T, fallback: T): StoredPreference<T> {
  const listeners = new Set<() => void>();
  const subscribe = (onChange: () => void) => {
    listeners.add(onChange);
    window.addEventListener("storage", onChange);
    return () => {
      listeners.delete(onChange);
      window.removeEventListener("storage", onChange);
    };
  };
  const read = (): T => {
    try {
      return parse(localStorage.getItem(key));
    } catch {
      return fallback;
    }
  };
  return {
    use: () => useSyncExternalStore(subscribe, read, () => fallback),
    set(value) {
      try {
        if (value === fallback) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch {
        // Storage off: nothing to remember.
      }
      listeners.forEach((listener) => listener());
    },
  };
}
