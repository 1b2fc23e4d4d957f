import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { expectStatus, fakeModel, fixture, FIXTURE_FILE, uniqueTopic } from "./support";

/** The private server: ACCESS_TOKEN and PRIVATE_READS are set (playwright.config.ts). */
const origin = `http://127.0.0.1:${E2E.privatePort}`;
/** Another port of the same host: same-site for the browser, so the SameSite=Lax cookie goes along. */
const sameSiteOrigin = `http://127.0.0.1:${E2E.extraPort}`;

function documentsWithTopic(topic: string): number {
  const database = new Database(E2E.privateDatabase, { readonly: true, fileMustExist: true });
  try {
    return (database.prepare("select count(*) as count from documents where topic = ?").get(topic) as { count: number }).count;
  } finally {
    database.close();
  }
}

test.beforeEach(async () => {
  await fakeModel.reset();
});

test("private server: sign in, generate, read, download, sign out", async ({ page, context }) => {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 400, delayMs: 5 });

  // Signed out, the home page asks to sign in and documents redirect to the form (a relative Location).
  await page.goto("/");
  await expect(page.getByTestId("signin-required")).toBeVisible();
  const redirect = await page.request.get("/d/AAAAAAAAAAAAAAAAAAAAAA", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers().location).toBe("/signin?next=%2Fd%2FAAAAAAAAAAAAAAAAAAAAAA");

  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Access token").fill("not the token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That token is not right.")).toBeVisible();
  await page.getByLabel("Access token").fill(E2E.privateAccessToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in")).toBeVisible();

  const topic = uniqueTopic("Private Loop");
  await page.getByLabel("System-design topic").fill(topic);
  await page.getByRole("button", { name: /^Generate/ }).click();
  await page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  const id = page.url().split("/d/")[1]!;
  await expectStatus(page, "complete");
  await expect(page.getByTestId("markdown-preview").locator("h1")).toBeVisible();

  // Reads need the sign-in: this browser has it, a client without the cookie does not.
  expect((await page.request.get(`/api/documents/${id}`)).status()).toBe(200);
  const stranger = await playwrightRequest.newContext({ baseURL: origin });
  for (const path of [`/api/documents/${id}`, `/api/documents/${id}/markdown`, `/api/documents/${id}/stream`]) {
    expect((await stranger.get(path)).status(), path).toBe(401);
  }
  expect((await stranger.get(`/d/${id}`, { maxRedirects: 0 })).status()).toBe(307);
  await stranger.dispose();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .md" }).click()]);
  expect(readFileSync((await download.path())!, "utf8")).toBe(fixture());

  await page.goto("/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("signin-required")).toBeVisible();
  expect((await context.cookies(origin)).find((cookie) => cookie.name === "studio_access")).toBeUndefined();
  await page.goto(`/d/${id}`);
  await expect(page).toHaveURL(new RegExp(`/signin\\?next=%2Fd%2F${id}$`));
});

test("a page on another port of the same host cannot use the sign-in cookie to stop or create documents", async ({ page }) => {
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 100, delayMs: 20 });
  await page.goto("/signin");
  await page.getByLabel("Access token").fill(E2E.privateAccessToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in")).toBeVisible();
  await page.getByLabel("System-design topic").fill(uniqueTopic("Forgery Target"));
  await page.getByRole("button", { name: /^Generate/ }).click();
  await page.waitForURL(/\/d\/[A-Za-z0-9_-]{22}$/);
  const id = page.url().split("/d/")[1]!;
  await expectStatus(page, "generating", 10_000);

  // The attacker's page, served (by the test) from another port: a plain form and a no-cors fetch, as in the report.
  const forgedTopic = uniqueTopic("Forged Create");
  await page.context().route(`${sameSiteOrigin}/**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!DOCTYPE html><body>
        <form id="stop" method="post" action="${origin}/api/documents/${id}/cancel"></form>
        <script>
          fetch(${JSON.stringify(`${origin}/api/documents`)}, { method: "POST", mode: "no-cors", credentials: "include", body: JSON.stringify({ topic: ${JSON.stringify(forgedTopic)} }) })
            .finally(() => document.getElementById("stop").submit());
        </script></body>`,
    }),
  );
  const attacker = await page.context().newPage();
  const cancelAnswer = attacker.waitForResponse(`${origin}/api/documents/${id}/cancel`);
  await attacker.goto(`${sameSiteOrigin}/prize.html`);
  const answer = await cancelAnswer;
  expect(answer.status()).toBe(403);
  expect((await answer.request().allHeaders())["origin"]).toBe(sameSiteOrigin);
  expect(documentsWithTopic(forgedTopic)).toBe(0);

  // The document was not stopped: it finishes.
  await expectStatus(page, "complete");
});
