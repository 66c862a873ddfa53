/**
 * The `opentok` backend of the video client, offline: the second server of
 * playwright.config.ts (port 3101) has OpenTok cloud credentials, so its
 * pages run on OpenTok.js. The browser may only talk to 127.0.0.1: OpenTok.js
 * must come from our own server (never a CDN), and the only requests to
 * other hosts are OpenTok.js's own calls to its cloud, which are aborted
 * here — they prove the page really tried OpenTok — after which the page
 * must explain the failure.
 */
import { expect, test, type Page } from "@playwright/test";

const cloudURL = process.env.E2E_CLOUD_URL!;
const scriptURL = `${cloudURL}/vendor/opentok/opentok.min.js`;
/** Hosts of the Vonage / OpenTok cloud that OpenTok.js itself calls. */
const openTokCloud = /(^|\.)(opentok\.com|tokbox\.com|vonage\.com)$/;

/** Aborts every request and WebSocket to a host other than 127.0.0.1; returns their URLs. */
async function keepOffline(page: Page): Promise<string[]> {
  const foreign: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    foreign.push(url.href);
    return route.abort("internetdisconnected");
  });
  await page.routeWebSocket(
    (url) => url.hostname !== "127.0.0.1",
    (socket) => {
      foreign.push(socket.url());
      socket.close();
    },
  );
  return foreign;
}

test("the cloud instance's landing page names Vonage / OpenTok as the provider", async ({ page }) => {
  await keepOffline(page);
  await page.goto(`${cloudURL}/`);
  await expect(page.getByTestId("provider")).toHaveText("Vonage / OpenTok cloud");
  await expect(page.getByTestId("provider")).toHaveAttribute(
    "title",
    `API key ${process.env.E2E_API_KEY}`,
  );
});

test("joining a room loads OpenTok.js from our server and reports the unreachable cloud", async ({
  page,
}) => {
  const foreign = await keepOffline(page);
  const scriptRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/opentok.min.js")) scriptRequests.push(request.url());
  });

  await page.goto(`${cloudURL}/rooms/demo`);
  // OpenTok.js is loaded on demand, when joining, not with the page.
  expect(await page.evaluate(() => typeof (window as any).OT)).toBe("undefined");

  const script = page.waitForResponse(scriptURL);
  await page.locator("#display-name").fill("Ada");
  await page.getByRole("button", { name: "Join" }).click();
  expect((await script).status()).toBe(200);
  await expect
    .poll(() => page.evaluate(() => typeof (window as any).OT?.initSession))
    .toBe("function");

  // No cloud offline: connect fails as a network error, and the page says so.
  await expect(page.getByRole("alert")).toContainText("could not be reached", { timeout: 20_000 });
  await page.screenshot({ path: "test-results/opentok-offline.png" });

  expect(scriptRequests).toEqual([scriptURL]);
  // Everything that left 127.0.0.1 was OpenTok.js calling its own cloud...
  const hosts = foreign.map((url) => new URL(url).hostname);
  for (const host of hosts) expect(host).toMatch(openTokCloud);
  // ...and it did call it: the session lookup on the API server.
  expect(foreign.some((url) => url.startsWith("https://anvil.opentok.com/session/"))).toBe(true);
});
