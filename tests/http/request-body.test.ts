import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/http-error";
import { readJsonBody } from "@/lib/http/read-json";
import { isJsonType, readBodyBytes, readFormBody, refuseNonJsonBody } from "@/lib/http/request-body";
import { rejectionOf } from "../support/thrown";

const request = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://studio.test/api/x", { method: "POST", body, headers, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);

const refusal = (action: () => unknown) => rejectionOf<HttpError>(action);

/** A body with no Content-Length, sent in pieces, as a chunked upload is. */
function streamed(...pieces: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece));
      controller.close();
    },
  });
}

describe("isJsonType", () => {
  it("accepts application/json with or without parameters, in any case, and nothing that only starts like it", () => {
    const typed = (type: string) => isJsonType(request(null, { "content-type": type }));
    expect(typed("application/json")).toBe(true);
    expect(typed("Application/JSON; charset=utf-8")).toBe(true);
    expect(typed("application/json ;charset=utf-8")).toBe(true);
    expect(typed("application/jsonx")).toBe(false);
    expect(typed("text/application/json")).toBe(false);
    expect(typed("text/plain")).toBe(false);
    expect(isJsonType(request(null))).toBe(false);
  });
});

describe("refuseNonJsonBody", () => {
  it("allows no body at all, Content-Length: 0, and JSON", () => {
    expect(() => refuseNonJsonBody(request(null))).not.toThrow();
    expect(() => refuseNonJsonBody(request(null, { "content-length": "0", "content-type": "text/plain" }))).not.toThrow();
    expect(() => refuseNonJsonBody(request("{}", { "content-type": "application/json" }))).not.toThrow();
  });

  it("refuses a form, text/plain, or a chunked body of no declared type with a 415", async () => {
    expect((await refusal(() => refuseNonJsonBody(request("a=1", { "content-type": "application/x-www-form-urlencoded" })))).status).toBe(415);
    const plain = await refusal(() => refuseNonJsonBody(request(null, { "content-length": "3", "content-type": "text/plain" })));
    expect(plain.code).toBe("unsupported_media_type");
    expect(plain.message).toBe("Send the body with Content-Type: application/json (or send no body).");
    expect((await refusal(() => refuseNonJsonBody(request(null, { "transfer-encoding": "chunked" })))).status).toBe(415);
  });
});

describe("readBodyBytes", () => {
  it("reads the whole body, however it is split", async () => {
    const bytes = await readBodyBytes(request(streamed("限流 ", "🚦", " ok")), 64);
    expect(bytes.toString("utf8")).toBe("限流 🚦 ok");
    expect((await readBodyBytes(request(null), 64)).byteLength).toBe(0);
  });

  it("allows exactly maxBytes and refuses one byte more, declared or streamed", async () => {
    expect((await readBodyBytes(request("x".repeat(8)), 8)).byteLength).toBe(8);
    expect((await readBodyBytes(request("x".repeat(8), { "content-length": "8" }), 8)).byteLength).toBe(8);
    const declared = await refusal(() => readBodyBytes(request("x", { "content-length": "9" }), 8));
    expect(declared.status).toBe(413);
    expect(declared.code).toBe("body_too_large");
    expect(declared.message).toBe("The request body is larger than 8 bytes (MAX_BODY_BYTES).");
    expect((await refusal(() => readBodyBytes(request(streamed("xxxx", "xxxx", "x")), 8))).status).toBe(413);
  });

  it("stops reading a body that lies about its length at the limit and cancels the rest", async () => {
    let pulls = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(4));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect((await refusal(() => readBodyBytes(request(endless, { "content-length": "4" }), 10))).status).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(6);
  });
});

describe("readFormBody", () => {
  it("reads a urlencoded form and treats no body as an empty form", async () => {
    const form = await readFormBody(request("token=s%C3%A9cret&next=%2Fd%2Fx", { "content-type": "application/x-www-form-urlencoded" }), 100);
    expect(form.get("token")).toBe("sécret");
    expect(form.get("next")).toBe("/d/x");
    expect([...(await readFormBody(request(null), 100)).keys()]).toEqual([]);
  });

  it("reads multipart too", async () => {
    const sent = new FormData();
    sent.set("token", "abc");
    const body = new Request("http://x/", { method: "POST", body: sent });
    const form = await readFormBody(request(await body.arrayBuffer(), { "content-type": body.headers.get("content-type") ?? "" }), 10_000);
    expect(form.get("token")).toBe("abc");
  });

  it("refuses JSON with 415, an oversized form with 413 and a broken multipart with 400", async () => {
    const json = await refusal(() => readFormBody(request("{}", { "content-type": "application/json" }), 100));
    expect(json.status).toBe(415);
    expect(json.message).toContain("application/x-www-form-urlencoded");
    expect((await refusal(() => readFormBody(request("token=" + "x".repeat(100), { "content-type": "application/x-www-form-urlencoded" }), 100))).status).toBe(413);
    const broken = await refusal(() => readFormBody(request("not multipart", { "content-type": "multipart/form-data; boundary=zzz" }), 100));
    expect(broken.status).toBe(400);
    expect(broken.code).toBe("invalid_form");
  });
});

describe("readJsonBody", () => {
  const json = (body: string | null, type = "application/json") => request(body, { "content-type": type });

  it("parses JSON with characters outside the BMP", async () => {
    expect(await readJsonBody(json('{"topic":"限流 🚦"}'), 100)).toEqual({ topic: "限流 🚦" });
  });

  it("reads bytes that are not UTF-8 as U+FFFD instead of failing", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"topic":"a'), 0xff, 0xfe, ...new TextEncoder().encode('b"}')]);
    expect(await readJsonBody(request(bytes, { "content-type": "application/json" }), 100)).toEqual({ topic: "a\ufffd\ufffdb" });
  });

  it("refuses another type (415), an empty or blank body and broken JSON (400), and an oversized body (413)", async () => {
    expect((await refusal(() => readJsonBody(json("{}", "text/plain"), 100))).status).toBe(415);
    const empty = await refusal(() => readJsonBody(json(" \n "), 100));
    expect([empty.status, empty.code]).toEqual([400, "invalid_json"]);
    expect(empty.message).toContain("empty");
    const broken = await refusal(() => readJsonBody(json('{"topic":'), 100));
    expect([broken.status, broken.code]).toEqual([400, "invalid_json"]);
    expect(broken.message).toContain("not valid JSON");
    expect((await refusal(() => readJsonBody(json(`"${"x".repeat(200)}"`), 100))).status).toBe(413);
  });
});
