import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectStatus, fakeModel, fixture, FIXTURE_FILE, headingTexts, startFromHome, uniqueTopic } from "./support";

test.beforeEach(async () => {
  await fakeModel.reset();
});

test("generate → watch it stream → reload mid-stream → download → permalink in a second page", async ({ page, context }) => {
  const expected = fixture();
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 40, delayMs: 12 });
  const id = await startFromHome(page, uniqueTopic("Core Loop"));

  const preview = page.getByTestId("markdown-preview");
  await expect(preview.locator("h2").first()).toBeVisible();
  await expectStatus(page, "generating", 5_000);

  // Reload while the model is still writing: the page comes back with the text so far and follows the rest.
  await page.reload();
  await expect(preview.locator("h1")).toBeVisible();
  await expectStatus(page, "complete");
  await expect(page.getByTestId("char-count")).toHaveText(expected.length.toLocaleString("en-US"));

  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { markdown: string; status: string };
  expect(stored.status).toBe("complete");
  expect(stored.markdown).toBe(expected);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .md" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^core-loop-[a-z0-9]+\.md$/);
  expect(readFileSync((await download.path())!, "utf8")).toBe(expected);

  // The live-built page and a fresh server-rendered permalink show the same document.
  const liveText = await preview.innerText();
  const liveHeadings = await headingTexts(page);
  const second = await context.newPage();
  await second.goto(`/d/${id}`);
  await expectStatus(second, "complete", 5_000);
  expect(await headingTexts(second)).toEqual(liveHeadings);
  expect(await second.getByTestId("markdown-preview").innerText()).toBe(liveText);
  expect(liveHeadings.filter((heading) => /^\d+\./.test(heading))).toHaveLength(12);
});

test("the permalink of a finished document is rendered on the server", async ({ page, request }) => {
  await fakeModel.setScenario({ chunkSize: 500, delayMs: 0 });
  const created = await request.post("/api/documents", { data: { topic: uniqueTopic("Server Rendered") } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await expect.poll(async () => ((await (await request.get(`/api/documents/${id}`)).json()) as { status: string }).status).toBe("complete");
  const html = await (await request.get(`/d/${id}`)).text();
  expect(html).toContain("<h2>12. Production Readiness Checklist</h2>");
  await page.goto(`/d/${id}`);
  await expectStatus(page, "complete", 5_000);
});

test("Stop ends the generation and keeps the text", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 10, delayMs: 25 });
  const id = await startFromHome(page, uniqueTopic("Stop Button"));
  await expect(page.getByTestId("markdown-preview").locator("h1")).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expectStatus(page, "cancelled", 10_000);
  await expect(page.getByTestId("failure-state")).toContainText("Generation stopped");
  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { markdown: string; status: string };
  expect(stored.status).toBe("cancelled");
  expect(stored.markdown.length).toBeGreaterThan(0);
  expect(fixture().startsWith(stored.markdown)).toBe(true);
  await expect(page.getByRole("button", { name: "Continue" })).toBeVisible();
});

test("a provider fault mid-stream shows the failure state with the partial text and a Retry", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 50, delayMs: 5, resetAtChar: 1500 });
  const id = await startFromHome(page, uniqueTopic("Fault Injection"));
  await expectStatus(page, "failed", 30_000);
  const failure = page.getByTestId("failure-state");
  await expect(failure).toContainText("Generation failed");
  await expect(failure).toContainText(/connection to the model provider was lost/i);
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  await expect(page.getByTestId("markdown-preview").locator("h1")).toBeVisible();
  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { markdown: string };
  expect(stored.markdown).toBe(fixture().slice(0, 1500));

  // Retry starts over and, with the fault gone, finishes the whole document.
  await page.getByRole("button", { name: "Retry" }).click();
  await expectStatus(page, "complete");
  await expect(page.getByTestId("char-count")).toHaveText(fixture().length.toLocaleString("en-US"));
});

test("an unknown permalink is a real 404 page", async ({ page }) => {
  const response = await page.goto("/d/AAAAAAAAAAAAAAAAAAAAAA");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("a bad topic gets a clear message and the form keeps it; the form stops at the server's length limit", async ({ page }) => {
  await page.goto("/");
  const input = page.getByLabel("System-design topic");
  await input.fill("\u200b\u200b\u200b");
  await page.getByRole("button", { name: /^Generate/ }).click();
  await expect(page.getByTestId("create-error")).toContainText("no visible characters");
  await expect(input).toHaveValue("\u200b\u200b\u200b");
  await input.fill("");
  await input.pressSequentially("x".repeat(130), { delay: 0 });
  await expect(input).toHaveValue("x".repeat(120));
});

test("a topic typed before the page hydrated is taken up: Generate enables and starts it", async ({ page }) => {
  await fakeModel.setScenario({ chunkSize: 500, delayMs: 0 });
  // Hold the page's scripts back, as a slow connection does, while the user types into the server-rendered field.
  let releaseScripts!: () => void;
  const scriptsHeld = new Promise<void>((resolve) => (releaseScripts = resolve));
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  // Some of the page's scripts hold DOMContentLoaded back, so wait only for the field to be there.
  await page.goto("/", { waitUntil: "commit" });
  await expect(page.getByLabel("System-design topic")).toBeVisible();
  const topic = uniqueTopic("Typed Before Hydration 🚦");
  await page.getByLabel("System-design topic").fill(topic);
  releaseScripts();
  const generate = page.getByRole("button", { name: /^Generate/ });
  await expect(generate).toBeEnabled();
  await generate.click();
  await page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  const id = page.url().split("/d/")[1]!;
  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { topic: string };
  expect(stored.topic).toBe(topic);
});
