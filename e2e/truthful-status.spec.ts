/**
 * The page tells the truth about how a generation is going and how it ended: "thinking…" while a
 * reasoning model reasons (the reasoning never shows up in the document), a content-filter ending
 * as a failure with the provider's reason and Continue, and the automatic recoveries in the history.
 */
import { expect, test } from "@playwright/test";
import { expectStatus, fakeModel, fixture, FIXTURE_FILE, startFromHome, uniqueTopic } from "./support";

test.beforeEach(async () => {
  await fakeModel.reset();
});

test("a reasoning model shows thinking… until it writes, and its reasoning never enters the document", async ({ page }) => {
  // About 2 s of reasoning (in delta.reasoning_content), then the document.
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, reasoningChars: 400, chunkSize: 20, reasoningDelayMs: 100, delayMs: 2 });
  const id = await startFromHome(page, uniqueTopic("Reasoning Model"));
  await expect(page.getByTestId("model-activity")).toHaveText("thinking…", { timeout: 5_000 });
  await expectStatus(page, "complete");
  await expect(page.getByTestId("model-activity")).toHaveCount(0);
  await expect(page.getByTestId("markdown-preview")).not.toContainText("Let me plan");
  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { markdown: string };
  expect(stored.markdown).toBe(fixture());
});

test("a content filter ending is a failure with the provider's reason; Continue finishes the document", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 50, delayMs: 2, contentFilterAtChar: 2_000 });
  await startFromHome(page, uniqueTopic("Content Filter"));
  await expectStatus(page, "failed", 30_000);
  await expect(page.getByTestId("failure-state")).toContainText('content filter stopped the answer (finish reason "content_filter")');
  await expect(page.getByTestId("char-count")).toHaveText((2_000).toLocaleString("en-US"));
  await page.getByRole("button", { name: "Continue" }).click();
  await expectStatus(page, "complete");
  await expect(page.getByTestId("char-count")).toHaveText(fixture().length.toLocaleString("en-US"));
});

test("automatic recoveries show in the document's history", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 200, delayMs: 2, lengthAtChar: 3_000, failBeforeStream: 1 });
  await startFromHome(page, uniqueTopic("History"));
  await expectStatus(page, "complete");
  const history = page.getByTestId("document-history");
  await expect(history).toContainText("History: 2 automatic recoveries");
  await history.locator("summary").click();
  await expect(history.locator('li[data-kind="retried"]')).toContainText("HTTP 500");
  await expect(history.locator('li[data-kind="continued_after_length"]')).toContainText("output-token limit after 3000 characters");
});
