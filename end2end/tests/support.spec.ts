/**
 * Customer service (seed 002) end to end on the embedded engine: customers on
 * /support and signed-in representatives on /rep, each in their own browser
 * context (Chromium's fake camera and microphone). A customer and a
 * representative talk with live video both ways; one representative serves
 * two customers in FIFO order; two representatives get different customers;
 * cancelling and closing the tab leave the queue and move the others up; a
 * customer whose video never arrives is skipped; the representatives' API
 * refuses strangers. Representatives are created by the administrator of
 * playwright.config.ts through `POST /api/accounts`. Every test leaves the
 * queue empty (the server is shared by the whole run).
 */
import {
  expect,
  test,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from "@playwright/test";
import { askForHelp, drain, expectLiveVideo, newRep, tag } from "./helpers";

type Person = { name: string; context: BrowserContext; page: Page; errors: string[] };
type Rep = Person & { password: string };

const queue = "/help/queue";

async function open(browser: Browser, name: string, path: string): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(path);
  return { name, context, page, errors };
}

/**
 * A new representative signed in on /rep, idle: through the sign-in form,
 * or (quicker) through the same server function the form calls.
 */
async function signInRep(
  browser: Browser,
  request: APIRequestContext,
  name: string,
  { form = false } = {},
): Promise<Rep> {
  const { username, password } = await newRep(request, name);
  const rep = await open(browser, username, form ? "/rep" : "about:blank");
  if (form) {
    // Typed text must not race hydration: wait until the bundle has run.
    await rep.page.waitForLoadState("networkidle");
    await rep.page.getByLabel("Username").fill(username);
    await rep.page.getByLabel("Password").fill(password);
    await rep.page.getByRole("button", { name: "Sign in" }).click();
  } else {
    const signedIn = await rep.context.request.post("/api/staff/sign_in", {
      form: { username, password },
    });
    expect(signedIn.status()).toBe(200);
    await rep.page.goto("/rep");
  }
  await expect(rep.page.getByRole("heading", { name: "Customer service" })).toBeVisible();
  await expect(rep.page.getByTestId("staff-user")).toContainText(username);
  await expect(waiting(rep)).toHaveAttribute("data-count", /\d+/);
  await expect(nextButton(rep)).toBeEnabled({ timeout: 10_000 });
  return { ...rep, password };
}

const waiting = (rep: Person) => rep.page.getByTestId("waiting-count");
const nextButton = (rep: Person) => rep.page.getByRole("button", { name: "Next customer" });
const repNotice = (rep: Person) => rep.page.getByTestId("rep-notice");
const customerName = (rep: Person) => rep.page.getByTestId("customer-name");

/** A customer on /support who asked for help and is in the queue (or already answered). */
async function queueCustomer(browser: Browser, name: string, problem: string): Promise<Person> {
  const customer = await open(browser, name, "/support");
  await askForHelp(customer.page, name, problem);
  await expect(customer.page.locator(".support-session")).toHaveAttribute(
    "data-phase",
    /^(waiting|answered|in-call)$/,
    { timeout: 15_000 },
  );
  return customer;
}

const position = (customer: Person) => customer.page.getByTestId("queue-position");
const endButton = (person: Person) => person.page.getByRole("button", { name: "End", exact: true });

/** A seed-style HTTP customer: asks and queues, but never connects or publishes. */
async function httpCustomer(request: APIRequestContext, name: string) {
  const created = await request.post("/help/session", {
    form: { customer_name: name, problem_text: "I only speak HTTP" },
  });
  expect(created.status()).toBe(200);
  const { sessionId } = await created.json();
  const queued = await request.post(queue, { form: { session_id: sessionId } });
  expect(queued.status()).toBe(200);
  const { queueId } = await queued.json();
  return { sessionId: sessionId as string, queueId: queueId as string };
}

async function closeAll(...people: Person[]) {
  expect(people.flatMap((p) => p.errors)).toEqual([]);
  for (const person of people) await person.context.close();
}

test.beforeEach(async ({ request }) => drain(request));

test("strangers cannot dequeue: 401 from the API and the sign-in form on /rep", async ({ browser, request }) => {
  for (const init of [
    { method: "DELETE" },
    { method: "POST", form: { _METHOD: "DELETE" } },
    { method: "DELETE", headers: { Authorization: "Bearer not-a-token" } },
  ]) {
    const response = await request.fetch(queue, init);
    expect(response.status()).toBe(401);
    expect(typeof (await response.json()).error).toBe("string");
  }

  const stranger = await open(browser, "stranger", "/rep");
  await expect(stranger.page.getByLabel("Username")).toBeVisible();
  await expect(stranger.page.getByRole("heading", { name: "Customer service" })).toHaveCount(0);
  await stranger.page.screenshot({ path: "test-results/support-rep-sign-in.png", fullPage: true });
  await stranger.page.waitForLoadState("networkidle");
  await stranger.page.getByLabel("Username").fill("nobody");
  await stranger.page.getByLabel("Password").fill("wrong password");
  await stranger.page.getByRole("button", { name: "Sign in" }).click();
  await expect(stranger.page.getByRole("alert")).toContainText("Unable to sign in");
  await closeAll(stranger);
});

test("a customer and a representative talk with live video both ways, then End", async ({ browser, request }) => {
  const rep = await signInRep(browser, request, "Rita", { form: true });
  await expect(waiting(rep)).toHaveText("0 waiting");
  await rep.page.screenshot({ path: "test-results/support-rep-idle.png", fullPage: true });

  // Nobody waits: the representative is ready and waits for a push…
  await nextButton(rep).click();
  await expect(rep.page.getByTestId("rep-waiting")).toHaveText("Waiting for the next customer…");
  await rep.page.screenshot({ path: "test-results/support-rep-waiting.png", fullPage: true });
  // …until they stop waiting, and start again.
  await rep.page.getByRole("button", { name: "Stop waiting" }).click();
  await nextButton(rep).click();
  await expect(rep.page.getByTestId("rep-waiting")).toBeVisible();

  const ann = await queueCustomer(browser, "Ann <b>", "<i>My camera</i> shows nothing");
  // Pushed over the hub: name and problem as text, not markup.
  await expect(customerName(rep)).toHaveText("Ann <b>");
  await expect(rep.page.getByTestId("customer-problem")).toHaveText("<i>My camera</i> shows nothing");
  await expectLiveVideo(rep.page, "Ann <b>");
  await expectLiveVideo(ann.page, rep.name);
  await rep.page.screenshot({ path: "test-results/support-rep-call.png", fullPage: true });

  await rep.page.getByRole("button", { name: "End call" }).click();
  await expect(repNotice(rep)).toHaveText("Your call with Ann <b> ended.");
  await expect(nextButton(rep)).toBeEnabled();
  await expect(ann.page.getByTestId("support-over")).toContainText("The call has ended. Thank you!");
  await closeAll(rep, ann);
});

test("one representative serves two customers in FIFO order", async ({ browser, request }) => {
  const t = tag();
  const rep = await signInRep(browser, request, "Fifo");
  const first = await queueCustomer(browser, `First ${t}`, "first in line");
  const second = await queueCustomer(browser, `Second ${t}`, "second in line");
  await expect(waiting(rep)).toHaveText("2 waiting");
  await expect(position(first)).toContainText("number 1");
  await expect(position(second)).toContainText("number 2");

  await nextButton(rep).click();
  await expect(customerName(rep)).toHaveText(first.name);
  await expectLiveVideo(rep.page, first.name);
  // The one behind moves up.
  await expect(position(second)).toContainText("number 1");
  await expect(waiting(rep)).toHaveText("1 waiting");

  // The customer ends the call this time.
  await endButton(first).click();
  await expect(repNotice(rep)).toHaveText("The customer ended the call.");
  await nextButton(rep).click();
  await expect(customerName(rep)).toHaveText(second.name);
  await expectLiveVideo(rep.page, second.name);
  await expectLiveVideo(second.page, rep.name);
  await rep.page.getByRole("button", { name: "End call" }).click();
  await expect(waiting(rep)).toHaveText("0 waiting");
  await closeAll(rep, first, second);
});

test("two representatives at once each get a different customer", async ({ browser, request }) => {
  const t = tag();
  const ruth = await signInRep(browser, request, "Ruth");
  const saul = await signInRep(browser, request, "Saul");
  // Both ready before anyone asks: each arrival is pushed to one of them.
  await nextButton(ruth).click();
  await nextButton(saul).click();
  await expect(ruth.page.getByTestId("rep-waiting")).toBeVisible();
  await expect(saul.page.getByTestId("rep-waiting")).toBeVisible();

  const cleo = await queueCustomer(browser, `Cleo ${t}`, "billing");
  const dan = await queueCustomer(browser, `Dan ${t}`, "shipping");
  await expect(customerName(ruth)).toBeVisible({ timeout: 15_000 });
  await expect(customerName(saul)).toBeVisible({ timeout: 15_000 });
  const ruths = (await customerName(ruth).textContent())!;
  const sauls = (await customerName(saul).textContent())!;
  expect([ruths, sauls].sort()).toEqual([cleo.name, dan.name].sort());
  // Both calls carry video (one pair checked both ways).
  const ruthsCustomer = ruths === cleo.name ? cleo : dan;
  await expectLiveVideo(ruth.page, ruths);
  await expectLiveVideo(ruthsCustomer.page, ruth.name);
  await expectLiveVideo(saul.page, sauls);

  await ruth.page.getByRole("button", { name: "End call" }).click();
  await saul.page.getByRole("button", { name: "End call" }).click();
  await expect(nextButton(ruth)).toBeEnabled();
  await expect(nextButton(saul)).toBeEnabled();
  await closeAll(ruth, saul, cleo, dan);
});

test("positions move up as people ahead leave; Cancel leaves the queue", async ({ browser, request }) => {
  const t = tag();
  const rep = await signInRep(browser, request, "Quinn");
  const ahead = await httpCustomer(request, `Ahead ${t}`);
  const eve = await queueCustomer(browser, `Eve ${t}`, "waiting my turn");
  await expect(position(eve)).toContainText("number 2");
  await expect(waiting(rep)).toHaveText("2 waiting");

  // The one ahead cancels: Eve is next, and hears it at once.
  const cancelled = await request.delete(`${queue}/${encodeURIComponent(ahead.queueId)}`);
  expect(cancelled.status()).toBe(204);
  await expect(position(eve)).toContainText("number 1");
  await expect(waiting(rep)).toHaveText("1 waiting");

  await eve.page.getByRole("button", { name: "Cancel" }).click();
  await expect(waiting(rep)).toHaveText("0 waiting");
  await expect(eve.page.getByRole("button", { name: "Talk to a representative" })).toBeVisible();
  await closeAll(rep, eve);
});

test("a closed tab leaves the queue; a customer whose video never comes is skipped", async ({ browser, request }) => {
  const t = tag();
  const rep = await signInRep(browser, request, "Sam");
  const gone = await queueCustomer(browser, `Gone ${t}`, "I will close the tab");
  const silent = await httpCustomer(request, `Silent ${t}`);
  await expect(waiting(rep)).toHaveText("2 waiting");

  // Closing the tab (beacon on pagehide, then the hub socket) removes Gone.
  expect(gone.errors).toEqual([]);
  await gone.context.close();
  await expect(waiting(rep)).toHaveText("1 waiting", { timeout: 10_000 });

  // So the next one is Silent, whose video never arrives.
  await nextButton(rep).click();
  await expect(customerName(rep)).toHaveText(`Silent ${t}`);
  await expect(repNotice(rep)).toHaveText(
    "The customer is being skipped because he/she failed to connect in time.",
    { timeout: 10_000 },
  );
  await rep.page.screenshot({ path: "test-results/support-rep-skipped.png", fullPage: true });
  await expect(nextButton(rep)).toBeEnabled();
  await expect(waiting(rep)).toHaveText("0 waiting");
  // Skipped customers are out of the queue for good.
  const lookup = await request.get(`${queue}/${encodeURIComponent(silent.queueId)}`);
  expect(lookup.status()).toBe(404);
  await closeAll(rep);
});

test("the console fits a phone, idle and in a call", async ({ browser, request }) => {
  const rep = await signInRep(browser, request, "Phil");
  await rep.page.setViewportSize({ width: 390, height: 844 });
  const overflows = () =>
    rep.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await expect(nextButton(rep)).toBeVisible();
  expect(await overflows()).toBe(false);
  await rep.page.screenshot({ path: "test-results/support-rep-mobile.png", fullPage: true });

  const long = "x".repeat(50);
  const customer = await queueCustomer(browser, long, `${"A long problem. ".repeat(12)}`.trim());
  await nextButton(rep).click();
  await expectLiveVideo(rep.page, long);
  expect(await overflows()).toBe(false);
  await rep.page.screenshot({ path: "test-results/support-rep-mobile-call.png", fullPage: true });
  await rep.page.getByRole("button", { name: "End call" }).click();
  await expect(nextButton(rep)).toBeVisible();
  await closeAll(rep, customer);
});
