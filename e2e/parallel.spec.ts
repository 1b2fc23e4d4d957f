import { expect, test, type Page } from "@playwright/test";
import { expectStatus, fakeModel, fixture, FIXTURE_FILE, headingTexts, uniqueTopic } from "./support";

test.beforeEach(async () => {
  await fakeModel.reset();
});

async function startParallel(page: Page, topic: string): Promise<string> {
  await page.goto("/");
  await page.getByLabel("System-design topic").fill(topic);
  await page.getByLabel("Generation mode").selectOption("parallel");
  await page.getByRole("button", { name: /^Generate/ }).click();
  await page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  return page.url().split("/d/")[1]!;
}

/** How many parts are being written right now, on the page and in the sidebar. */
const writingParts = (page: Page) => page.locator('[data-testid^="part-"][data-state="writing"]').count();
const writingSections = (page: Page) => page.locator('[data-testid^="section-"][data-state="writing"]').count();

test("parallel mode: all sections fill at once, each in its place; a reload mid-generation shows the same parts; the result is the document", async ({ page }) => {
  const expected = fixture();
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 12, delayMs: 20 });
  const id = await startParallel(page, uniqueTopic("Parallel Live"));
  await expect(page.getByTestId("document-mode")).toHaveText("parallel sections");

  // The title streams from the outline, before any section.
  await expect(page.getByTestId("part-0-1").locator("h1")).toBeVisible();
  await expect.poll(() => writingParts(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
  // The sidebar shows each one writing.
  await expect.poll(() => writingSections(page)).toBeGreaterThanOrEqual(4);
  // Each part fills in its own place, in document order.
  await expect(page.getByTestId("part-2-1").locator("h2")).toHaveText(/^2\. The Naive \/ Incorrect Approaches/);
  await expect(page.getByTestId("part-5-1").locator("h2")).toHaveText(/^5\. Full Production-Grade Implementation/);

  // Reload while the parts are being written: each comes back in its place with its text so far.
  const before = (await page.getByTestId("part-2-1").innerText()).length;
  await page.reload();
  await expect(page.getByTestId("part-2-1").locator("h2")).toBeVisible();
  expect((await page.getByTestId("part-2-1").innerText()).length).toBeGreaterThanOrEqual(before);
  await expect.poll(() => writingParts(page)).toBeGreaterThanOrEqual(2);

  await expectStatus(page, "complete", 90_000);
  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { markdown: string; mode: string; inputTokens: number; outputTokens: number };
  expect(stored.mode).toBe("parallel");
  expect(stored.markdown).toBe(expected);
  // Finished, it is one document: one preview, 12 sections, the token total in the status line.
  expect((await headingTexts(page)).filter((heading) => /^\d+\./.test(heading))).toHaveLength(12);
  await expect(page.getByTestId("markdown-preview")).toHaveCount(1);
  await expect(page.getByTestId("token-count")).toContainText((stored.inputTokens + stored.outputTokens).toLocaleString("en-US"));
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
});

test("a failed section fails alone: the others are kept and its own Retry completes the document", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 200, delayMs: 5, faultTarget: "7", resetAtChar: 600 });
  const id = await startParallel(page, uniqueTopic("Parallel Fault"));
  await expectStatus(page, "failed", 60_000);
  await expect(page.getByTestId("failure-state")).toContainText("Section 7 failed");
  const retry = page.getByRole("button", { name: "Retry section 7" });
  await expect(retry).toBeVisible();
  await retry.click();
  await expectStatus(page, "complete", 60_000);
  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { markdown: string };
  expect(stored.markdown).toBe(fixture());
  const requests = await fakeModel.requests();
  expect(requests.filter((request) => request.planned === "7")).toHaveLength(2);
  expect(requests.filter((request) => request.planned === "outline")).toHaveLength(1);
});
