/**
 * The reader's colour theme: "system" (follow prefers-color-scheme) unless they picked one, which
 * is remembered in localStorage and applied as <html data-theme="…"> (CSS does the rest).
 */
export const THEME_STORAGE_KEY = "studio-theme";
export const THEMES = ["system", "light", "dark"] as const;
export type ThemePreference = (typeof THEMES)[number];

export function parseTheme(value: string | null | undefined): ThemePreference {
  return value === "light" || value === "dark" ? value : "system";
}

/**
 * Runs before first paint (inline in <head>), so a remembered theme never flashes the other one.
 * Kept tiny and self-contained: it is serialised as a string.
 */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
