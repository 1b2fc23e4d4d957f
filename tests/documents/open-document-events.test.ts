import { describe, expect, it } from "vitest";
import type { DocumentError } from "@/lib/documents/document-error";
import { openDocumentEvents } from "@/lib/documents/open-document-events";
import type { DocumentEvent } from "@/lib/events/document-events";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import { designDocument } from "../support/design-document";
import { fakeStudio } from "../support/fake-studio";
import { rejectionOf } from "../support/thrown";

const complete = designDocument({ markdown: "# Done 🎉\n" });
const generating = designDocument({ status: "generating", markdown: "# Stored" });
const liveSource: DocumentEventSource = () => () => {};

/** Everything a stored source sends a reader, once it closes the stream. */
function sentBy(source: DocumentEventSource): Promise<DocumentEvent[]> {
  const events: DocumentEvent[] = [];
  return new Promise((resolve) => {
    source({ closed: false, text: (delta, offset) => void events.push({ type: "text", delta, offset }), send: (event) => void events.push(event), close: () => resolve(events) });
  });
}

describe("opening a document's events", () => {
  it("follows a running generation wherever it runs, without reading storage", async () => {
    const follows: number[] = [];
    const studio = fakeStudio({
      store: { get: async () => { throw new Error("storage read"); } },
      generations: { follow: async (_id: string, from: number) => (follows.push(from), liveSource) },
    });
    expect(await openDocumentEvents(studio, complete.id, 42)).toBe(liveSource);
    expect(follows).toEqual([42]);
  });

  it("serves a finished document from storage, from the offset asked", async () => {
    const studio = fakeStudio({ documents: [complete], generations: { follow: async () => null } });
    const events = await sentBy(await openDocumentEvents(studio, complete.id, 2));
    expect(events[0]).toEqual({ type: "text", delta: "Done 🎉\n", offset: complete.markdown.length });
    expect(events.at(-1)).toMatchObject({ type: "end", status: "complete" });
  });

  it("prefers a generation that started while the row was read", async () => {
    let asked = 0;
    const studio = fakeStudio({ documents: [generating], generations: { follow: async () => (++asked === 2 ? liveSource : null) } });
    expect(await openDocumentEvents(studio, generating.id, 0)).toBe(liveSource);
    expect(asked).toBe(2);
    // Still nothing live: the stored row is served (its reader reloads it until it ends).
    const none = fakeStudio({ documents: [generating], generations: { follow: async () => null } });
    expect(await openDocumentEvents(none, generating.id, 0)).not.toBe(liveSource);
  });

  it("answers not_found for an id that cannot be one, and for one nobody stored", async () => {
    const studio = fakeStudio({ generations: { follow: async () => { throw new Error("followed"); } } });
    expect((await rejectionOf<DocumentError>(() => openDocumentEvents(studio, "../etc/passwd", 0))).code).toBe("not_found");
    const empty = fakeStudio({ generations: { follow: async () => null } });
    const error = await rejectionOf<DocumentError>(() => openDocumentEvents(empty, complete.id, 0));
    expect(error).toMatchObject({ code: "not_found", message: "No document with this id." });
  });
});
