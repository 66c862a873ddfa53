/**
 * The rooms page on the embedded engine: two people in two browser contexts
 * (Chromium's fake camera and microphone) join one room and see each
 * other's live video; muting shows on the other side; Leave removes the
 * tile. Also: a blocked camera explains itself and lets one join without it.
 */
import { expect, test, type Browser } from "@playwright/test";
import { expectLiveVideo } from "./helpers";

const room = () => `e2e-${Math.random().toString(36).slice(2, 8)}`;

async function join(browser: Browser, roomName: string, name: string, { blocked = false } = {}) {
  const context = await browser.newContext();
  if (blocked) {
    // Chromium's --use-fake-ui-for-media-stream grants every request, so a
    // refusal is played the way a browser reports it: a NotAllowedError.
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
    });
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(`/rooms/${roomName}`);
  await page.getByLabel("Your name").fill(name);
  return { context, page, errors };
}

test("two people see each other, mute shows on the other side, Leave removes the tile", async ({ browser }) => {
  const name = room();
  const ada = await join(browser, name, "Ada");
  // The preview shows the fake camera before joining.
  await expect
    .poll(() => ada.page.locator(".preview video").evaluate((v: HTMLVideoElement) => v.videoWidth))
    .toBeGreaterThan(0);
  await expect(ada.page.locator("#camera-select option")).not.toHaveCount(1);
  await ada.page.screenshot({ path: "test-results/room-lobby.png", fullPage: true });
  await ada.page.getByRole("button", { name: "Join" }).click();
  await expect(ada.page.getByTestId("participant-count")).toHaveText("Only you so far");

  const bob = await join(browser, name, "Bob <b>");
  await bob.page.getByRole("button", { name: "Join" }).click();

  await expectLiveVideo(ada.page, "Bob <b>");
  await expectLiveVideo(bob.page, "Ada");
  await expect(ada.page.getByTestId("participant-count")).toHaveText("2 people");
  // The name is text, not markup.
  await expect(ada.page.locator("[data-testid=remote-tile] .name")).toHaveText("Bob <b>");
  await ada.page.screenshot({ path: "test-results/room-call.png", fullPage: true });

  // Bob mutes his microphone and turns his camera off: Ada sees both.
  await bob.page.getByRole("button", { name: "Mute microphone" }).click();
  await expect(ada.page.getByTestId("remote-mic-off")).toBeVisible();
  await bob.page.getByRole("button", { name: "Turn camera off" }).click();
  await expect(ada.page.getByTestId("remote-camera-off")).toBeVisible();
  await ada.page.screenshot({ path: "test-results/room-muted.png", fullPage: true });
  await bob.page.getByRole("button", { name: "Unmute microphone" }).click();
  await expect(ada.page.getByTestId("remote-mic-off")).toHaveCount(0);

  // Bob leaves: his tile disappears for Ada.
  await bob.page.getByRole("button", { name: "Leave" }).click();
  await expect(bob.page.getByRole("heading", { name: "You left the room." })).toBeVisible();
  await expect(ada.page.getByTestId("remote-tile")).toHaveCount(0);
  await expect(ada.page.getByTestId("participant-count")).toHaveText("Only you so far");

  expect([...ada.errors, ...bob.errors]).toEqual([]);
  await ada.context.close();
  await bob.context.close();
});

test("a blocked camera is explained and one can join without it", async ({ browser }) => {
  const name = room();
  const watcher = await join(browser, name, "Watcher");
  await watcher.page.getByRole("button", { name: "Join" }).click();
  await expect(watcher.page.getByTestId("participant-count")).toHaveText("Only you so far");

  const shy = await join(browser, name, "Shy", { blocked: true });
  const blocked = shy.page.getByRole("alert").filter({ hasText: "blocked" });
  await expect(blocked).toBeVisible();
  await shy.page.screenshot({ path: "test-results/room-blocked.png", fullPage: true });
  await shy.page.getByRole("button", { name: "Join without camera and microphone" }).click();
  await expect(shy.page.getByTestId("own-tile")).toBeVisible();
  await expect(shy.page.getByRole("button", { name: /microphone/ })).toBeDisabled();

  // The others see Shy by name, without media.
  const tile = watcher.page.locator('[data-testid=remote-tile][data-name="Shy"]');
  await expect(tile).toBeVisible();
  await expect(tile).toContainText("No media");
  expect([...watcher.errors, ...shy.errors]).toEqual([]);
  await watcher.context.close();
  await shy.context.close();
});

test("a bad display name is refused with a message; the lobby fits a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/rooms/${room()}`);
  await page.getByLabel("Your name").fill("   ");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByRole("alert")).toHaveText("Enter a name.");
  await page.getByLabel("Your name").fill("x".repeat(50) + "y");
  // maxlength keeps the field at 50; the server refuses longer names itself.
  await expect(page.getByLabel("Your name")).toHaveValue("x".repeat(50));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await page.screenshot({ path: "test-results/room-lobby-mobile.png", fullPage: true });
});

test("a dropped link shows 'reconnecting…' and the call resumes on its own", async ({ browser }) => {
  const name = room();
  const ada = await join(browser, name, "Ada");
  await ada.page.getByRole("button", { name: "Join" }).click();
  await expect(ada.page.getByTestId("participant-count")).toHaveText("Only you so far");

  // Bob's hub socket goes through a route the test can cut.
  const bob = await join(browser, name, "Bob");
  const sockets: { close: () => Promise<void> }[] = [];
  let networkDown = false;
  await bob.page.routeWebSocket(/\/rtc$/, async (ws) => {
    if (networkDown) {
      // The first retry still finds the network down.
      networkDown = false;
      await ws.close({ code: 1011 });
      return;
    }
    const server = ws.connectToServer();
    sockets.push({ close: async () => { await server.close(); await ws.close({ code: 1011 }); } });
  });
  await bob.page.getByRole("button", { name: "Join" }).click();
  await expectLiveVideo(ada.page, "Bob");
  await expectLiveVideo(bob.page, "Ada");

  networkDown = true;
  await sockets[0].close();
  await expect(bob.page.getByText("Connection lost — reconnecting…")).toBeVisible();
  await bob.page.screenshot({ path: "test-results/room-reconnecting.png", fullPage: true });
  await expect(bob.page.getByText("Connection lost — reconnecting…")).toBeHidden({ timeout: 15_000 });
  expect(sockets.length).toBe(2);

  // Both see each other's video again, over fresh connections.
  await expectLiveVideo(ada.page, "Bob");
  await expectLiveVideo(bob.page, "Ada");
  await expect(ada.page.getByTestId("remote-tile")).toHaveCount(1);
  expect([...ada.errors, ...bob.errors]).toEqual([]);
  await ada.context.close();
  await bob.context.close();
});
