/** Renderer ids, importable from Node (the renderers themselves only load in the browser bundle). */
export const RENDERER_NAMES = ["naive", "streamdown", "ours"] as const;
export type RendererName = (typeof RENDERER_NAMES)[number];
