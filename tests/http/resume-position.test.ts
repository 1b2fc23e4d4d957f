import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/http-error";
import { resumePosition } from "@/lib/http/resume-position";
import { thrownBy } from "../support/thrown";

const events = (query = "", headers: Record<string, string> = {}) => new Request(`http://studio.test/api/documents/x/events${query}`, { headers });

const refusal = (request: Request) => thrownBy<HttpError>(() => resumePosition(request));

describe("resumePosition", () => {
  it("starts at 0 when the reader names no position, and at ?from= when it does", () => {
    expect(resumePosition(events())).toEqual({ kind: "offset", offset: 0 });
    expect(resumePosition(events("?from=0"))).toEqual({ kind: "offset", offset: 0 });
    expect(resumePosition(events("?from=16385"))).toEqual({ kind: "offset", offset: 16385 });
  });

  it("prefers Last-Event-ID over ?from=, and knows an end id", () => {
    expect(resumePosition(events("?from=5", { "last-event-id": "42" }))).toEqual({ kind: "offset", offset: 42 });
    expect(resumePosition(events("?from=5", { "last-event-id": "42-end" }))).toEqual({ kind: "ended", offset: 42 });
  });

  it("ignores a blank Last-Event-ID (an EventSource that has none yet)", () => {
    expect(resumePosition(events("?from=7", { "last-event-id": " " }))).toEqual({ kind: "offset", offset: 7 });
  });

  it("refuses anything else with a 400 naming the parameter, never a replay from the start", () => {
    for (const from of ["-1", "1.5", "abc", "", "1234567890123", "10-end"]) {
      const error = refusal(events(`?from=${encodeURIComponent(from)}`));
      expect(error.status).toBe(400);
      expect(error.code).toBe("invalid_from");
      expect(error.message).toContain("non-negative whole number");
    }
    const header = refusal(events("", { "last-event-id": "oops" }));
    expect([header.status, header.code]).toEqual([400, "invalid_last_event_id"]);
    expect(header.message).toContain("<offset>-end");
  });
});
