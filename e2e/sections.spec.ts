import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectStatus, fakeModel, startFromHome, uniqueTopic } from "./support";

const COMPLIANT = path.resolve("lib/examples/library/request-deduplication.md");
const DEFICIENT = path.resolve("tests/fixtures/sections/bullets-only.md");

test.beforeEach(async () => {
  await fakeModel.reset();
});

test("the sidebar moves each section from pending to writing to satisfied while the document streams", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: COMPLIANT, chunkSize: 24, delayMs: 12 });
  await startFromHome(page, uniqueTopic("Sidebar Live"));
  const first = page.getByTestId("section-1");
  const last = page.getByTestId("section-12");

  // One snapshot of the three, read together: checked one after another, a busy machine let
  // section 1 finish between the reads.
  const sidebarNow = () =>
    page.evaluate(() => {
      const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
      return { first: byTestId("section-1")?.getAttribute("data-state"), last: byTestId("section-12")?.getAttribute("data-state"), count: byTestId("section-count")?.textContent?.match(/\d+ \/ 12/)?.[0] };
    });
  await expect.poll(sidebarNow).toEqual({ first: "writing", last: "pending", count: "0 / 12" });
  // Section 1 ends when section 2's heading arrives.
  await expect(first).toHaveAttribute("data-state", "satisfied");
  await expect(page.getByTestId("section-2")).toHaveAttribute("data-state", /writing|satisfied/);
  await expect(last).toHaveAttribute("data-state", "writing", { timeout: 60_000 });
  await expectStatus(page, "complete");
  await expect(last).toHaveAttribute("data-state", "satisfied");
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");

  // The stored report agrees, and a reload shows it without streaming again.
  const id = page.url().split("/d/")[1]!;
  const stored = (await (await page.request.get(`/api/documents/${id}`)).json()) as { sections: { state: string }[] };
  expect(stored.sections.map((section) => section.state)).toEqual(Array(12).fill("satisfied"));
  await page.reload();
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
});

test("a deficient document shows incomplete sections with their unmet items in plain words", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: DEFICIENT, chunkSize: 200, delayMs: 5 });
  await startFromHome(page, uniqueTopic("Sidebar Deficient"));
  await expectStatus(page, "complete");
  const footGuns = page.getByTestId("section-9");
  await expect(footGuns).toHaveAttribute("data-state", "incomplete");
  // The title scrolls to the section; the rest of the row expands its checklist.
  await footGuns.locator(".sidebar-state").click();
  const detection = page.getByTestId("requirement-9-detection");
  await expect(detection).toBeVisible();
  await expect(detection).toHaveAttribute("data-met", "false");
  await expect(detection).toContainText(/detect/i);
  await expect(page.getByTestId("section-3")).toHaveAttribute("data-state", "incomplete");
  await expect(page.getByTestId("document-rules")).toBeVisible();
});
