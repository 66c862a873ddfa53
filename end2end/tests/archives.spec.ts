/**
 * The `/archives` page: reachable from the landing page and the top bar;
 * an empty state; filters that travel in the URL, with bad values named in
 * words; recordings in progress listed with a spinner, refreshing on their
 * own, not deletable yet; and — once the engine has produced the files —
 * a composed recording that plays in the page, an individual one offered
 * as a zip, and deletion by signed-in staff only. Screenshots at 1280 and
 * 390 px go to test-results/.
 */
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { tag } from "./helpers";

const rows = (page: Page) => page.getByTestId("archive-row");
const row = (page: Page, id: string) => page.locator(`[data-testid=archive-row][data-id="${id}"]`);

/** Screenshots of `page` at 1280 and 390 px wide, named `archives-<name>`. */
async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `test-results/archives-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/archives-${name}-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** `name` in the call of a new room; the room, its session and the page. */
async function inARoom(browser: Browser, request: APIRequestContext, name: string, room = `arc-${tag()}`) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/rooms/${room}`);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByTestId("participant-count")).toBeVisible({ timeout: 15_000 });
  const { sessionId } = await (await request.get(`/room/${room}`)).json();
  return { room, sessionId: sessionId as string, context, page };
}

/** Opens `/archives` (plus `query`) and waits until the page is interactive. */
async function openArchives(page: Page, query = "") {
  await page.goto(`/archives${query}`);
  await page.waitForLoadState("networkidle");
}

test("the page is linked, explains an empty list and names bad filters", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Archives" }).click();
  await expect(page).toHaveURL(/\/archives$/);
  await expect(page.getByRole("heading", { name: "Archives", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in as staff to delete" })).toHaveAttribute("href", "/rep");
  await page.waitForLoadState("networkidle");
  await shoot(page, "first-visit");

  await openArchives(page, `?name=${tag()}-nothing`);
  await expect(page.getByTestId("archives-empty")).toContainText("No recordings match these filters");
  await expect(page.getByLabel("Name contains")).toHaveValue(/-nothing$/);
  await shoot(page, "empty");

  // Typed into the form: the URL carries them, each bad value is named.
  await openArchives(page);
  await page.getByLabel("Longest").fill("soon");
  await page.getByLabel("Smallest").fill("huge");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/max_duration=soon/);
  await expect(page).toHaveURL(/min_size=huge/);
  await expect(page.getByText("“soon” is not a duration")).toBeVisible();
  await expect(page.getByText("“huge” is not a size")).toBeVisible();
  await expect(page.getByLabel("Longest")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Correct the filters marked above.")).toBeVisible();
  await shoot(page, "bad-filters");

  await openArchives(page, "?min_duration=10&max_duration=5&status=done&from=2026-13-01");
  await expect(page.getByText("The smallest duration is larger than the largest.")).toBeVisible();
  await expect(page.getByText("That is not a status; pick one from the list.")).toBeVisible();
  await expect(page.getByText("“2026-13-01” is not a date")).toBeVisible();

  // The list's server function refuses the same values in words.
  const refused = await page.request.post("/api/archives/list", {
    data: { filter: { max_duration: "soon" } },
  });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("“soon” is not a duration");
});

test("a recording in progress is listed with a spinner, found by every filter and not deletable yet", async ({ browser, request }) => {
  test.setTimeout(90_000);
  const ada = await inARoom(browser, request, "Ada");
  const started = await request.post("/archive/start", { data: { sessionId: ada.sessionId } });
  expect(started.status()).toBe(200);
  const { id } = await started.json();

  const viewer = await browser.newContext();
  const page = await viewer.newPage();
  await openArchives(page, `?session=${encodeURIComponent(ada.sessionId)}`);
  await expect(rows(page)).toHaveCount(1);
  const mine = row(page, id);
  await expect(mine.getByTestId("archive-status")).toHaveText("Recording");
  await expect(mine.getByTestId("archive-status").locator(".spinner")).toHaveCount(1);
  await expect(mine).toContainText(ada.room);
  await expect(page.getByRole("status").filter({ hasText: "Updating every 3 seconds" })).toBeVisible();
  await expect(mine.getByRole("button", { name: "Delete" })).toBeDisabled();
  await expect(mine.getByRole("button", { name: "Delete" })).toHaveAttribute("title", "Sign in as staff to delete recordings.");

  // Each filter, through the form, keeps or drops it.
  await openArchives(page);
  await page.getByLabel("Name contains").fill(ada.room.toUpperCase());
  await page.getByLabel("Status").selectOption("started");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`status=started&name=${ada.room.toUpperCase()}&tz=`));
  await expect(row(page, id)).toBeVisible();
  await shoot(page, "filtered-recording");
  await page.getByLabel("Smallest").fill("1 GB");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByTestId("archives-empty")).toBeVisible();
  await openArchives(page, `?name=${ada.room}&status=available`);
  await expect(page.getByTestId("archives-empty")).toBeVisible();

  // Staff may delete, but not while it records.
  const signedIn = await viewer.request.post("/api/staff/sign_in", {
    form: { username: process.env.E2E_ADMIN_USERNAME!, password: process.env.E2E_ADMIN_PASSWORD! },
  });
  expect(signedIn.status()).toBe(200);
  await openArchives(page, `?name=${ada.room}`);
  await expect(page.getByText(`Signed in as ${process.env.E2E_ADMIN_USERNAME}`)).toBeVisible();
  await expect(row(page, id).getByRole("button", { name: "Delete" })).toBeDisabled();
  await expect(row(page, id)).toContainText("It is still recording: stop it first.");

  // Stopped elsewhere: the page notices on its own.
  expect((await request.post(`/archive/${id}/stop`)).status()).toBe(200);
  await expect(row(page, id).getByTestId("archive-status")).toHaveText(/Processing|Available/, { timeout: 10_000 });
  await ada.context.close();
  await viewer.close();
});

test("a recorded room plays in the page, an individual one is a zip, staff delete them", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const ada = await inARoom(browser, request, "Ada");
  const bob = await inARoom(browser, request, "Bob", ada.room);
  await ada.page.getByRole("button", { name: "Record" }).click();
  await expect(bob.page.getByTestId("recording")).toBeVisible();
  await ada.page.waitForTimeout(3_000);
  await ada.page.getByRole("button", { name: "Stop recording" }).click();
  await expect(ada.page.getByTestId("recording")).toHaveCount(0);
  const individual = await request.post("/archive/start", { data: { sessionId: ada.sessionId, outputMode: "individual" } });
  expect(individual.status()).toBe(200);
  const zipId: string = (await individual.json()).id;
  await ada.page.waitForTimeout(3_000);
  expect((await request.post(`/archive/${zipId}/stop`)).status()).toBe(200);
  await ada.context.close();
  await bob.context.close();

  const viewer = await browser.newContext();
  const page = await viewer.newPage();
  await openArchives(page, `?session=${encodeURIComponent(ada.sessionId)}`);
  await expect(rows(page)).toHaveCount(2);
  // The page refreshes itself until both are processed.
  await expect(page.locator("[data-testid=archive-status]", { hasText: "Available" })).toHaveCount(2, { timeout: 90_000 });
  const composed = rows(page).filter({ hasText: "One video of the call" });
  const zipped = row(page, zipId);
  await expect(zipped).toContainText("Streams play after download");
  await expect(zipped.getByRole("link", { name: "Download" })).toHaveAttribute("href", /\.zip$/);
  await expect(composed.getByRole("link", { name: "Download" })).toHaveAttribute("href", /\.webm$/);
  await shoot(page, "with-items");

  await composed.getByRole("button", { name: "Play" }).click();
  const player = composed.getByTestId("archive-player");
  await expect(player).toBeVisible();
  await player.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
  await page.screenshot({ path: "test-results/archives-playing.png", fullPage: true });

  // Filters over real figures.
  const today = await page.evaluate(() => new Date().toLocaleDateString("en-CA"));
  const count = async (query: string) => {
    await openArchives(page, `?session=${encodeURIComponent(ada.sessionId)}&${query}`);
    await expect(page.getByTestId("archives-summary")).toBeVisible();
    return rows(page).count();
  };
  expect(await count(`from=${today}&to=${today}`)).toBe(2);
  expect(await count("to=2000-01-01")).toBe(0);
  expect(await count("min_duration=1:00")).toBe(0);
  expect(await count("max_duration=1m&min_size=1kB&status=available")).toBe(2);
  await shoot(page, "filtered");

  // Nobody but staff deletes.
  const anonymous = await request.post("/api/archives/delete", { form: { id: zipId } });
  expect(anonymous.status()).toBe(401);
  const signedIn = await viewer.request.post("/api/staff/sign_in", {
    form: { username: process.env.E2E_ADMIN_USERNAME!, password: process.env.E2E_ADMIN_PASSWORD! },
  });
  expect(signedIn.status()).toBe(200);
  await openArchives(page, `?session=${encodeURIComponent(ada.sessionId)}`);
  await row(page, zipId).getByRole("button", { name: "Delete" }).click();
  await row(page, zipId).getByRole("button", { name: "Cancel" }).click();
  await expect(rows(page)).toHaveCount(2);
  await row(page, zipId).getByRole("button", { name: "Delete" }).click();
  await row(page, zipId).getByRole("button", { name: "Yes, delete" }).click();
  await expect(row(page, zipId)).toHaveCount(0);
  await expect(rows(page)).toHaveCount(1);
  expect((await request.get(`/archive/${zipId}`)).status()).toBe(404);
  await viewer.close();
});
