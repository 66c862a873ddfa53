/**
 * Smoke test of the landing page: it renders on the server, hydrates (a
 * client-side interaction works), escapes what users type, and the browser
 * console stays free of errors.
 */
import { expect, test } from "@playwright/test";

test("landing page renders, hydrates and logs no console errors", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));

  await page.goto("/");
  await expect(page).toHaveTitle(/Rendezvous/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Live video, your way.");
  await expect(page.getByTestId("provider")).toHaveText("Embedded engine (offline)");
  await expect(page.getByTestId("sdk-snippet")).toHaveText(
    `new OpenTok("${process.env.E2E_API_KEY}", apiSecret, { apiUrl: "${process.env.E2E_BASE_URL}" })`,
  );

  // Only the hydrated WASM handles this submit; without it the form would navigate.
  await page.getByLabel("Room name", { exact: true }).fill("e2e standup");
  await page.getByRole("button", { name: "Get credentials" }).click();
  const sessionId = page.getByTestId("session-id");
  await expect(sessionId).toHaveText(/^1_[A-Za-z0-9_-]+$/);
  expect(page.url()).toMatch(/\/$/);

  // The same room keeps its session.
  const first = await sessionId.textContent();
  await page.getByRole("button", { name: "Get credentials" }).click();
  await expect(sessionId).toHaveText(first!);

  await page.screenshot({ path: "test-results/landing.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("a refused room name shows the server's message, escaped", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Room name", { exact: true }).fill("<b>bold</b>");
  await page.getByRole("button", { name: "Get credentials" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("a room name is 1-100 letters");
  await expect(page.locator("b", { hasText: "bold" })).toHaveCount(0);
});

test("narrow screens get a single-column layout", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Try a room" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await page.screenshot({ path: "test-results/landing-mobile.png", fullPage: true });
});

test("unknown pages answer 404 with a way back", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to Rendezvous" })).toHaveAttribute("href", "/");
  await page.screenshot({ path: "test-results/not-found.png" });
});
