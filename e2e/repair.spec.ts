import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { deficientDraft, findDamage } from "../lib/examples/deficient-drafts";
import { expectNoSeriousViolations, expectStatus, fakeModel, fixture, startFromHome, uniqueTopic } from "./support";

test.beforeEach(async () => {
  await fakeModel.reset();
});

const original = fixture();
const first = deficientDraft(original, [findDamage("s7-deadlocks-timeouts"), findDamage("s10-use-instead")]);

test("the sidebar goes incomplete → repairing → satisfied live; versions, the diff and the latest download show on the page", async ({ page }) => {
  const topic = uniqueTopic("Repair Live");
  await fakeModel.setScenario({
    documentsByTopic: { [topic]: first },
    chunkSize: 80,
    delayMs: 10,
    repair: { source: original, chunkSize: 12, delayMs: 20 },
  });
  const id = await startFromHome(page, topic);
  const seven = page.getByTestId("section-7");

  // The first pass: section 7 is written without its deadlocks and timeout mismatches.
  await expect(seven).toHaveAttribute("data-state", "incomplete", { timeout: 60_000 });
  // The repair: the row says what is being fixed, and the new text streams in place.
  await expect(seven).toHaveAttribute("data-state", "repairing", { timeout: 30_000 });
  await expectStatus(page, "repairing", 5_000);
  await expect(page.getByTestId("repairing-7")).toContainText("Deadlocks are not named");
  await expect(page.getByTestId("repair-status")).toContainText(/Repairing sections? .*7/);
  const preview = page.getByTestId("markdown-preview");
  await expect(preview.getByRole("heading", { name: "Deadlocks" })).toBeVisible({ timeout: 30_000 });
  await expectStatus(page, "repairing", 1_000);
  // A reload mid-repair comes back to exactly this state: the replacement so far in place, the row repairing.
  await page.reload();
  await expectStatus(page, "repairing", 5_000);
  await expect(seven).toHaveAttribute("data-state", "repairing");
  await expect(preview.getByRole("heading", { name: "Deadlocks" })).toBeVisible();

  await expect(seven).toHaveAttribute("data-state", "satisfied", { timeout: 60_000 });
  await expectStatus(page, "complete");
  await expect(page.getByTestId("section-10")).toHaveAttribute("data-state", "satisfied");
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
  await expect(page.getByTestId("repair-status")).toContainText("Repair finished after 1 round");

  // Versions: the first pass and the repaired one, with what changed section by section.
  const picker = page.getByTestId("version-picker");
  await expect(picker.locator("option")).toHaveText(["1. First pass — 10/12", "2. Repair round 1: sections 7, 10 — 12/12 (latest)"]);
  await expect(page.getByTestId("version-diff")).toContainText("Changes from version 1: section 7 changed, section 10 changed");
  await expect(page.getByTestId("diff-section-7")).toContainText("+ ### Deadlocks");

  // The default download is the latest version.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .md" }).click()]);
  expect(readFileSync((await download.path())!, "utf8")).toBe(original);

  // Any version can be read and downloaded.
  await picker.selectOption("1");
  await expect(page.getByTestId("viewing-version")).toContainText("You are reading version 1");
  await expect(preview.getByRole("heading", { name: "Deadlocks" })).toHaveCount(0);
  const older = await page.request.get(`/api/documents/${id}/markdown?version=1`);
  expect(await older.text()).toBe(first);
  await expect(page.getByTestId("version-download")).toHaveAttribute("href", `/api/documents/${id}/markdown?version=1`);
  await page.getByRole("button", { name: "Back to the latest" }).click();
  await expect(preview.getByRole("heading", { name: "Deadlocks" })).toBeVisible();

  // A reload shows the repaired document from the server.
  await page.reload();
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
  await expect(page.getByTestId("version-picker").locator("option")).toHaveCount(2);
});

test("a section whose repair was kept out stays incomplete with the reason, and its Repair button repairs it by hand", async ({ page }) => {
  const topic = uniqueTopic("Repair By Hand");
  await fakeModel.setScenario({
    documentsByTopic: { [topic]: first },
    chunkSize: 2_000,
    delayMs: 2,
    repair: { source: original, actions: { "10": ["worse"] } },
  });
  await startFromHome(page, topic);
  await expectStatus(page, "complete");
  await expect(page.getByTestId("section-7")).toHaveAttribute("data-state", "satisfied");
  const ten = page.getByTestId("section-10");
  await expect(ten).toHaveAttribute("data-state", "incomplete");
  await expect(page.getByTestId("repair-status-10")).toContainText("original kept");
  await expect(page.getByTestId("repair-status-10")).toContainText("It would lose what the section met");
  // The repair's status, the versions and the Repair button (a row action beside the summary, not in it) pass axe, light and dark.
  await expect(page.getByTestId("repair-section-10")).toBeVisible();
  await expect(page.locator("summary button")).toHaveCount(0);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectNoSeriousViolations(page, `repaired document (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: "light" });

  await fakeModel.setScenario({ repair: { source: original, chunkSize: 20, delayMs: 20 } });
  await page.getByTestId("repair-section-10").click();
  await expect(ten).toHaveAttribute("data-state", "repairing");
  await expect(ten).toHaveAttribute("data-state", "satisfied", { timeout: 60_000 });
  await expectStatus(page, "complete");
  await expect(page.getByTestId("section-count")).toContainText("12 / 12");
  await expect(page.getByTestId("version-picker").locator("option").last()).toHaveText("3. Repair round 1: section 10 — 12/12 (latest)");
});
