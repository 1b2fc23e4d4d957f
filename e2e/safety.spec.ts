import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectStatus, fakeModel, startFromHome } from "./support";

const HOSTILE_FILE = path.resolve("tests/fixtures/hostile/hostile.md");

test("hostile model output renders inert: no script, no dialog, no beacon request", async ({ page }) => {
  await fakeModel.reset();
  await fakeModel.setScenario({ documentFile: HOSTILE_FILE, chunkSize: 30, delayMs: 5 });
  const dialogs: string[] = [];
  const beacons: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on("request", (request) => {
    if (request.url().includes("beacon")) beacons.push(request.url());
  });

  // A hostile topic is accepted as plain text and shown inert everywhere.
  const topic = `<img src=x onerror=alert('topic')> ${Date.now().toString(36)}`;
  const id = await startFromHome(page, topic);
  await expectStatus(page, "complete", 30_000);
  const preview = page.getByTestId("markdown-preview");
  await expect(preview.getByText("Normal text after the hostile part.")).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(await preview.locator("script, iframe, svg, img, style, [onerror], [onclick], [onload]").count()).toBe(0);
  for (const href of await preview.locator("a").evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""))) {
    expect(href).not.toMatch(/^\s*(javascript|data|vbscript):/i);
  }
  await expect(preview.getByRole("link", { name: "a safe link" })).toHaveAttribute("href", "https://example.com/docs");
  // Clicking the neutralised links does nothing dangerous.
  await preview.getByText("markdown javascript link").click();
  await expect(page.getByTestId("document-topic")).toHaveText(topic);
  expect(await page.title()).toContain("<img src=x onerror=alert('topic')>");

  // History and download name stay inert too.
  await page.goto("/");
  await expect(page.getByTestId("recent-documents").getByText(topic)).toBeVisible();
  const download = await page.request.get(`/api/documents/${id}/markdown`);
  expect(download.headers()["content-disposition"]).toMatch(
    /^attachment; filename="img-src-x-onerror-alert-topic-[a-z0-9]+\.md"; filename\*=UTF-8''img-src-x-onerror-alert-topic-[a-z0-9]+\.md$/,
  );

  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  expect(beacons).toEqual([]);
});
