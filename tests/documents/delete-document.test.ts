import { describe, expect, it } from "vitest";
import { deleteDocument } from "@/lib/documents/delete-document";
import type { DocumentError } from "@/lib/documents/document-error";
import type { Requester } from "@/lib/documents/requester";
import { designDocument } from "../support/design-document";
import { fakeStudio } from "../support/fake-studio";
import { rejectionOf } from "../support/thrown";

const holder: Requester = { clientKey: "ip:a", scope: null, tokenHolder: true, editToken: null };
const document = designDocument();

function studioDeleting(deleted: boolean) {
  const calls: string[] = [];
  const studio = fakeStudio({
    documents: [document],
    generations: { cancel: async (id: string) => (calls.push(`cancel ${id}`), false) },
    store: { delete: async (id: string) => (calls.push(`delete ${id}`), deleted) },
  });
  return { studio, calls };
}

describe("deleting a document", () => {
  it("stops its generation wherever it runs, then removes it", async () => {
    const { studio, calls } = studioDeleting(true);
    await deleteDocument(studio, document.id, holder);
    expect(calls).toEqual([`cancel ${document.id}`, `delete ${document.id}`]);
  });

  it("answers not_found when another request deleted it in the meantime", async () => {
    const { studio } = studioDeleting(false);
    const error = await rejectionOf<DocumentError>(() => deleteDocument(studio, document.id, holder));
    expect(error.code).toBe("not_found");
    expect(error.message).toBe("No document with this id.");
  });

  it("touches nothing for an unknown id, or for a requester without the right to change it", async () => {
    const { studio, calls } = studioDeleting(true);
    expect((await rejectionOf<DocumentError>(() => deleteDocument(studio, "BBBBBBBBBBBBBBBBBBBBBB", holder))).code).toBe("not_found");
    const stranger: Requester = { ...holder, tokenHolder: false, editToken: "not-the-token" };
    expect((await rejectionOf<DocumentError>(() => deleteDocument(studio, document.id, stranger))).code).toBe("forbidden");
    expect(calls).toEqual([]);
  });
});
