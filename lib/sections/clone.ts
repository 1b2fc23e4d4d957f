/** Deep copy of plain analyzer state (objects, arrays, primitives) — no classes, no cycles. */
export function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = clonePlain(value[i]);
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = clonePlain((value as Record<string, unknown>)[key]);
  return copy as T;
}
