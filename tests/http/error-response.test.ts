import { describe, expect, it, vi } from "vitest";
import { DocumentError, type DocumentErrorCode } from "@/lib/documents/document-error";
import { withApiErrors } from "@/lib/http/error-response";
import { HttpError } from "@/lib/http/http-error";

const respond = (error: unknown) => withApiErrors(async () => Promise.reject(error))();

describe("errors as HTTP responses", () => {
  it.each<[DocumentErrorCode, number]>([
    ["not_found", 404],
    ["invalid_topic", 400],
    ["invalid_model", 400],
    ["invalid_request", 400],
    ["unknown_model", 400],
    ["provider_not_configured", 503],
    ["too_many_generations", 429],
    ["rate_limited", 429],
    ["already_generating", 409],
    ["not_resumable", 409],
  ])("maps the domain's %s to %i with its code and message", async (code, status) => {
    const response = await respond(new DocumentError(code, `because ${code}`));
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { code, message: `because ${code}` } });
    expect(response.headers.get("retry-after")).toBeNull();
  });

  it("turns a wait into Retry-After", async () => {
    const response = await respond(new DocumentError("rate_limited", "later", 1_234));
    expect(response.headers.get("retry-after")).toBe("1234");
  });

  it("keeps a transport refusal's status and headers", async () => {
    const response = await respond(new HttpError(401, "unauthorized", "sign in", { "WWW-Authenticate": "Bearer" }));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("both refusals name their class, as logs and stack traces show it", () => {
    expect(new HttpError(413, "body_too_large", "too large").name).toBe("HttpError");
    expect(new DocumentError("not_found", "gone").name).toBe("DocumentError");
    expect(String(new HttpError(415, "unsupported_media_type", "Send JSON."))).toBe("HttpError: Send JSON.");
  });

  it("answers anything else with a 500 that tells nothing of the cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await respond(new Error("SQLITE_CORRUPT at /srv/secret/path"));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(JSON.stringify(body)).not.toContain("secret");
    expect(body.error).toEqual({ code: "internal_error", message: "Something went wrong on the server. Nothing was lost; try again." });
    // The cause goes to the server's log instead.
    expect(log).toHaveBeenCalledWith(expect.objectContaining({ message: "SQLITE_CORRUPT at /srv/secret/path" }));
    log.mockRestore();
  });
});
