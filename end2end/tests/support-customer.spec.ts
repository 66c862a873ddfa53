/**
 * The customer's page, /support, on the embedded engine (Chromium's fake
 * camera and microphone): the form's checks, a blocked camera explained,
 * the wait in the queue (position, estimate, own video), Cancel, leaving
 * the page, a representative's answer and the end of the call, and the
 * 390 px layout. The representative is mostly an API client (seed 002's
 * `DELETE /help/queue` with a Bearer token from `POST /api-token-auth/`);
 * one call runs with the /rep console to see both videos and the
 * customer's End. The representative's side is in support.spec.ts.
 */
import {
  expect,
  test,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from "@playwright/test";
import { askForHelp, bearer, drain, expectLiveVideo, newRep, signIn } from "./helpers";

type Customer = { context: BrowserContext; page: Page; errors: string[] };

/** How the camera / microphone answers the page. */
type Media = "granted" | "denied" | "held";

/** Opens /support in a fresh context. `denied` plays a refusal the way a
 * browser reports it (Chromium's fake UI grants everything) until the test
 * sets `window.__allowMedia`; `held` keeps the browser's prompt "open"
 * until the test calls `window.__grant()`. */
async function open(
  browser: Browser,
  { media = "granted" as Media, width = 1280, height = 800 } = {},
): Promise<Customer> {
  const context = await browser.newContext({ viewport: { width, height } });
  if (media !== "granted") {
    await context.addInitScript((mode: string) => {
      const devices = navigator.mediaDevices;
      const original = devices.getUserMedia.bind(devices);
      const w = window as any;
      let grant: () => void = () => {};
      const granted = new Promise<void>((resolve) => (grant = resolve));
      w.__grant = () => grant();
      devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
        if (mode === "held") await granted;
        if (mode === "denied" && !w.__allowMedia) {
          throw new DOMException("Permission denied", "NotAllowedError");
        }
        return original(constraints);
      };
    }, media);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto("/support");
  return { context, page, errors };
}

/** The queue id the page got from `POST /help/queue`. */
async function queueIdOf(page: Page): Promise<string> {
  const response = await page.waitForResponse(
    (r) => r.url().endsWith("/help/queue") && r.request().method() === "POST",
    { timeout: 20_000 },
  );
  expect(response.status()).toBe(200);
  return (await response.json()).queueId;
}

/** A new representative as an API client: name, token and Bearer header. */
async function apiRep(api: APIRequestContext) {
  const { username, password } = await newRep(api);
  const token = await signIn(api, username, password);
  return { username, token, headers: bearer(token) };
}

const position = (page: Page) => page.getByTestId("queue-position");

/** The status of `GET /help/queue/{queueId}`: 200 while waiting, else 404. */
async function queueStatus(api: APIRequestContext, queueId: string) {
  return (await api.get(`/help/queue/${encodeURIComponent(queueId)}`)).status();
}

/** The own video plays (the customer published before being queued). */
async function expectOwnVideo(page: Page) {
  const video = page.locator("[data-testid=own-tile] video");
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 })
    .toBeGreaterThan(0);
}

test("the landing page leads here, and the form says what is missing or too long", async ({ browser }) => {
  const { context, page, errors } = await open(browser);
  await page.goto("/");
  await page.getByRole("link", { name: "Talk to a representative" }).click();
  await expect(page).toHaveURL(/\/support$/);
  await expect(page.getByRole("heading", { name: "Customer service" })).toBeVisible();
  await page.screenshot({ path: "test-results/support-intro.png", fullPage: true });

  const sent: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/help/")) sent.push(r.url());
  });
  await page.getByRole("button", { name: "Talk to a representative" }).click();
  const send = page.getByRole("button", { name: "Request a representative" });
  await send.click();
  await expect(page.getByText("Enter a name.")).toBeVisible();
  await expect(page.getByText("Describe your problem.")).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Your name").fill("N".repeat(51));
  await page.getByLabel("What do you need help with?").fill("p".repeat(201));
  await expect(page.getByTestId("problem-counter")).toHaveText("201 / 200");
  await expect(page.getByTestId("problem-counter")).toHaveClass(/over/);
  await send.click();
  await expect(page.getByText("A name has at most 50 characters.")).toBeVisible();
  await expect(page.getByText("The problem description has at most 200 characters.")).toBeVisible();
  await page.screenshot({ path: "test-results/support-form-errors.png", fullPage: true });
  expect(sent).toEqual([]);

  // Fixing a field clears its message.
  await page.getByLabel("Your name").fill("Ann");
  await expect(page.getByText("A name has at most 50 characters.")).toHaveCount(0);

  // The server's own plain-text refusal is shown as it is.
  await page.route("**/help/session", (route) =>
    route.fulfill({ status: 400, contentType: "text/plain", body: "We are closed today." }),
  );
  await page.getByLabel("What do you need help with?").fill("My camera is upside down");
  await send.click();
  await expect(page.getByTestId("request-error")).toHaveText("We are closed today.");
  expect(errors).toEqual([]);
  await context.close();
});

test("a blocked camera is explained, and Try again goes on once it is allowed", async ({
  browser,
  request: api,
}) => {
  const rep = await apiRep(api);
  await drain(api, rep.headers);
  const { context, page, errors } = await open(browser, { media: "denied" });
  await askForHelp(page, "Bo", "I cannot hear anything");
  const blocked = page.getByTestId("media-blocked");
  await expect(blocked.getByRole("heading")).toHaveText("Camera and microphone are blocked");
  await expect(blocked).toContainText('choose "Allow" for the camera and the microphone');
  await page.screenshot({ path: "test-results/support-denied.png", fullPage: true });

  await page.evaluate(() => ((window as any).__allowMedia = true));
  const queued = queueIdOf(page);
  await blocked.getByRole("button", { name: "Try again" }).click();
  await queued;
  await expect(position(page)).toHaveText("You are number 1 in line", { timeout: 15_000 });
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Talk to a representative" })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test("a customer waits at number 1 with their own video; Cancel takes them out", async ({
  browser,
  request: api,
}) => {
  const rep = await apiRep(api);
  await drain(api, rep.headers);
  const { context, page, errors } = await open(browser, { media: "held" });
  const order: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/help/") && r.method() === "POST") order.push(new URL(r.url()).pathname);
  });
  await askForHelp(page, "Cy", "The picture freezes");
  await expect(page.getByText("Please allow access to your camera and microphone.")).toBeVisible();
  await page.screenshot({ path: "test-results/support-permission.png", fullPage: true });
  // Nobody is queued before their camera works.
  expect(order).toEqual(["/help/session"]);

  const queued = queueIdOf(page);
  await page.evaluate(() => (window as any).__grant());
  const queueId = await queued;
  expect(queueId).toMatch(/^helpsession:/);
  expect(order).toEqual(["/help/session", "/help/queue"]);
  await expect(position(page)).toHaveText("You are number 1 in line", { timeout: 15_000 });
  await expect(page.getByTestId("queue-wait")).toHaveText(/^(Estimating your wait…|about \d+ minutes?)$/);
  await expectOwnVideo(page);
  // Before a representative answers, the way out is Cancel (no End).
  await expect(page.getByRole("button", { name: "End" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/support-waiting.png", fullPage: true });
  const waiting = await api.get(`/help/queue/${encodeURIComponent(queueId)}`);
  expect(await waiting.json()).toMatchObject({ position: 1 });

  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Talk to a representative" })).toBeVisible();
  // Out of the queue: a representative gets nobody.
  await expect.poll(() => queueStatus(api, queueId)).toBe(404);
  expect((await api.delete("/help/queue", { headers: rep.headers })).status()).toBe(204);
  expect(errors).toEqual([]);
  await context.close();
});

test("leaving the page sends the queue's DELETE as a beacon", async ({ browser, request: api }) => {
  const rep = await apiRep(api);
  await drain(api, rep.headers);
  const { context, page, errors } = await open(browser);
  const queued = queueIdOf(page);
  await askForHelp(page, "Di", "Leaving soon");
  const queueId = await queued;
  await expect(position(page)).toHaveText("You are number 1 in line", { timeout: 15_000 });

  const beacon = page.waitForRequest(
    (r) => r.url().endsWith(`/help/queue/${encodeURIComponent(queueId)}`) && r.method() === "POST",
  );
  await page.goto("/");
  expect((await beacon).postData()).toBe("_METHOD=DELETE");
  await expect.poll(() => queueStatus(api, queueId)).toBe(404);
  expect(errors).toEqual([]);
  await context.close();
});

test("a representative's answer and the end of the call reach the customer", async ({
  browser,
  request: api,
}) => {
  const rep = await apiRep(api);
  await drain(api, rep.headers);
  const { context, page, errors } = await open(browser);
  const queued = queueIdOf(page);
  await askForHelp(page, "Ann <b>", "Where is my <i>order</i>?");
  const queueId = await queued;
  await expect(position(page)).toHaveText("You are number 1 in line", { timeout: 15_000 });
  // Names are text, not markup.
  await expect(page.locator("[data-testid=own-tile] .name")).toHaveText("Ann <b> (you)");

  const taken = await api.delete("/help/queue", { headers: rep.headers });
  expect(taken.status()).toBe(200);
  const assignment = await taken.json();
  expect(assignment).toMatchObject({
    customerName: "Ann <b>",
    problemText: "Where is my <i>order</i>?",
    queueId,
  });
  await expect(page.getByTestId("rep-joining")).toHaveText(`${rep.username} is joining…`);
  await page.screenshot({ path: "test-results/support-answered.png", fullPage: true });

  // The representative (an API client) ends the help session.
  const ended = await api.delete(`/help/queue/${encodeURIComponent(queueId)}`, { headers: rep.headers });
  expect(ended.status()).toBe(204);
  await expect(page.getByRole("heading", { name: "The call has ended. Thank you!" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Talk to a representative again" })).toBeVisible();
  await page.screenshot({ path: "test-results/support-ended-by-rep.png", fullPage: true });
  // Again: the form, filled in with the last request.
  await page.getByRole("button", { name: "Talk to a representative again" }).click();
  await expect(page.getByLabel("Your name")).toHaveValue("Ann <b>");
  expect(errors).toEqual([]);
  await context.close();
});

test("at 390 px everything fits the width", async ({ browser, request: api }) => {
  const rep = await apiRep(api);
  await drain(api, rep.headers);
  const { context, page, errors } = await open(browser, { width: 390, height: 844 });
  const fits = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  await page.getByRole("button", { name: "Talk to a representative" }).click();
  await page.getByRole("button", { name: "Request a representative" }).click();
  await expect(page.getByText("Enter a name.")).toBeVisible();
  expect(await fits()).toBe(true);
  await page.screenshot({ path: "test-results/support-390-form.png", fullPage: true });

  await page.getByLabel("Your name").fill("Eve");
  await page.getByLabel("What do you need help with?").fill("Small screen, big problem");
  await page.getByRole("button", { name: "Request a representative" }).click();
  await expect(position(page)).toHaveText("You are number 1 in line", { timeout: 15_000 });
  await expectOwnVideo(page);
  expect(await fits()).toBe(true);
  const cancel = page.getByRole("button", { name: "Cancel" });
  await expect(cancel).toBeInViewport();
  await page.screenshot({ path: "test-results/support-390-waiting.png", fullPage: true });
  await cancel.click();
  await expect(page.getByRole("button", { name: "Talk to a representative" })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test("in a call both videos play, and the customer's End ends it", async ({ browser, request: api }) => {
  const rep = await apiRep(api);
  await drain(api, rep.headers);
  // The representative waits on the /rep console (signed in: the API
  // token is also the session cookie's value).
  const repContext = await browser.newContext();
  await repContext.addCookies([
    { name: "rendezvous_staff", value: rep.token, url: process.env.E2E_BASE_URL! },
  ]);
  const desk = await repContext.newPage();
  await desk.goto("/rep");
  await desk.getByRole("button", { name: "Next customer" }).click();
  await expect(desk.getByTestId("rep-waiting")).toBeVisible({ timeout: 15_000 });

  const { context, page, errors } = await open(browser);
  await askForHelp(page, "Fay", "My order never arrived");
  await expect(page.getByTestId("in-call")).toHaveText(`You are talking with ${rep.username}.`, {
    timeout: 20_000,
  });
  await expectLiveVideo(page, rep.username);
  await expectLiveVideo(desk, "Fay");
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/support-in-call.png", fullPage: true });

  await page.getByRole("button", { name: "End" }).click();
  await expect(page.getByRole("heading", { name: "The call has ended. Thank you!" })).toBeVisible();
  await expect(page.locator("[data-testid=own-tile]")).toHaveCount(0);
  await page.screenshot({ path: "test-results/support-ended.png", fullPage: true });
  // The representative's console sees the call end too.
  await expect(desk.getByRole("button", { name: "Next customer" })).toBeVisible({ timeout: 10_000 });
  expect(errors).toEqual([]);
  await context.close();
  await repContext.close();
});
