import { afterEach, describe, expect, it, vi } from "vitest";
import { deleteExpiredDocuments, scheduleRetention } from "@/lib/documents/retention";
import { fakeStudio } from "../support/fake-studio";

const HOUR_MS = 3_600_000;

describe("RETENTION_DAYS", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("deletes documents not updated for that many days, and none without it", async () => {
    const cutoffs: string[] = [];
    const store = { deleteUpdatedBefore: async (cutoff: string) => (cutoffs.push(cutoff), 4) };
    const now = Date.parse("2026-11-30T12:00:00.000Z");
    expect(await deleteExpiredDocuments(fakeStudio({ config: { retentionDays: 30 }, store }), now)).toBe(4);
    expect(cutoffs).toEqual(["2026-10-31T12:00:00.000Z"]);
    expect(await deleteExpiredDocuments(fakeStudio({ config: { retentionDays: undefined }, store }), now)).toBe(0);
    expect(cutoffs).toHaveLength(1);
  });

  it("sweeps at start and then every hour, and logs a failed sweep instead of crashing", async () => {
    vi.useFakeTimers();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    let sweeps = 0;
    const store = {
      deleteUpdatedBefore: async () => {
        sweeps += 1;
        throw new Error("database is locked");
      },
    };
    scheduleRetention(fakeStudio({ config: { retentionDays: 1 }, store }));
    expect(sweeps).toBe(1);
    await vi.advanceTimersByTimeAsync(HOUR_MS - 1);
    expect(sweeps).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sweeps).toBe(2);
    expect(logged).toHaveBeenCalledWith("deleting expired documents failed", expect.objectContaining({ message: "database is locked" }));
    vi.clearAllTimers();
  });

  it("schedules nothing without RETENTION_DAYS", () => {
    vi.useFakeTimers();
    scheduleRetention(fakeStudio({ config: { retentionDays: undefined } }));
    expect(vi.getTimerCount()).toBe(0);
  });
});
