"use client";

import { storedPreference } from "@/components/preferences/stored-preference";
import { parseTheme, THEME_STORAGE_KEY, THEMES, type ThemePreference } from "./theme-preference";

const LABELS: Record<ThemePreference, string> = { system: "System", light: "Light", dark: "Dark" };
const theme = storedPreference<ThemePreference>(THEME_STORAGE_KEY, parseTheme, "system");

function choose(chosen: ThemePreference): void {
  theme.set(chosen);
  if (chosen === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = chosen;
}

/** Theme picker in the header: follows the system until the reader picks Light or Dark (remembered). */
export function ThemeSelect() {
  const current = theme.use();
  return (
    <label className="theme-select">
      Theme{" "}
      <select value={current} onChange={(event) => choose(parseTheme(event.target.value))} data-testid="theme-select">
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {LABELS[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
