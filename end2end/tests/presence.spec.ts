/**
 * Presence chat (/presence) on the embedded engine, with two or three people
 * in separate browser contexts (Chromium's fake camera and microphone):
 * they see each other, invite, accept, decline, cancel, talk by video and
 * hang up; the server decides every state change, so the seed's stuck
 * states (a lost busy decline, an inviter left "pending" by a vanished
 * invitee, waiting forever) cannot happen. Names carry a random tag: every
 * test shares the server's one presence session.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { expectLiveVideo } from "./helpers";

const tag = () => Math.random().toString(36).slice(2, 6);

type Person = { name: string; context: BrowserContext; page: Page; errors: string[] };

/** Opens /presence in a fresh context (its own identity cookie). */
async function open(browser: Browser, name: string): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto("/presence");
  return { name, context, page, errors };
}

/** Opens /presence and joins under `name`. */
async function join(browser: Browser, name: string): Promise<Person> {
  const person = await open(browser, name);
  await person.page.getByLabel("Your name").fill(name);
  await person.page.getByLabel("Your name").press("Enter");
  await expect(person.page.getByTestId("presence-user")).toHaveText(name);
  return person;
}

/** `of`'s row in `viewer`'s buddy list. */
const buddy = (viewer: Person, of: Person) =>
  viewer.page.locator(`[data-testid=buddy][data-name="${of.name}"]`);

async function expectState(viewer: Person, of: Person, state: string) {
  await expect(buddy(viewer, of)).toHaveAttribute("data-state", state, { timeout: 10_000 });
}

async function invite(from: Person, to: Person) {
  await from.page.getByRole("button", { name: `Invite ${to.name}` }).click();
  await expect(from.page.getByTestId("outgoing")).toContainText(`Calling ${to.name}`);
}

/** `to`'s prompt for `from`'s invitation. */
const prompt = (to: Person, from: Person) =>
  to.page.locator(`[data-testid=incoming][data-from="${from.name}"]`);

const notice = (person: Person) => person.page.getByTestId("notice");

async function closeAll(...people: Person[]) {
  expect(people.flatMap((p) => p.errors)).toEqual([]);
  for (const person of people) await person.context.close();
}

test("two people find each other, talk by video, hang up and are available again", async ({ browser }) => {
  const t = tag();
  const ada = await open(browser, `Ada ${t}`);
  await expect(ada.page.getByRole("dialog", { name: "Join presence chat" })).toBeVisible();
  await expect(ada.page.getByTestId("presence-user")).toHaveText("Not connected");
  await ada.page.screenshot({ path: "test-results/presence-join.png", fullPage: true });
  await ada.page.getByLabel("Your name").fill(ada.name);
  await ada.page.getByRole("button", { name: "Join" }).click();
  await expect(ada.page.getByTestId("presence-user")).toHaveText(ada.name);

  const bob = await join(browser, `Bob <b> ${t}`);
  await expectState(ada, bob, "Available");
  await expectState(bob, ada, "Available");
  // Names are text, not markup.
  await expect(buddy(ada, bob).locator(".buddy-name")).toHaveText(bob.name);
  await ada.page.screenshot({ path: "test-results/presence-buddies.png", fullPage: true });

  await invite(ada, bob);
  await expectState(bob, ada, "Invite pending");
  await expect(prompt(bob, ada)).toContainText(`${ada.name} invites you to a video chat.`);
  await bob.page.screenshot({ path: "test-results/presence-incoming.png", fullPage: true });
  await prompt(bob, ada).getByRole("button", { name: "Accept" }).click();

  await expectLiveVideo(ada.page, bob.name);
  await expectLiveVideo(bob.page, ada.name);
  await expect(ada.page.getByRole("heading", { name: `Chat with ${bob.name}` })).toBeVisible();
  // Either party records on the embedded engine, and both see it.
  await ada.page.getByRole("button", { name: "Record" }).click();
  await expect(ada.page.getByTestId("recording")).toBeVisible();
  await expect(bob.page.getByTestId("recording")).toBeVisible();
  await bob.page.getByRole("button", { name: "Stop recording" }).click();
  await expect(ada.page.getByTestId("recording")).toHaveCount(0);
  await expect(ada.page.getByRole("link", { name: "View the recording" })).toBeVisible();
  await ada.page.screenshot({ path: "test-results/presence-chat.png", fullPage: true });

  await bob.page.getByRole("button", { name: "End chat" }).click();
  await expect(notice(ada)).toContainText(`Chat with ${bob.name} ended.`);
  await expect(notice(bob)).toContainText(`Chat with ${ada.name} ended.`);
  await expectState(ada, bob, "Available");
  await expectState(bob, ada, "Available");
  await expect(buddy(ada, bob).getByRole("button", { name: `Invite ${bob.name}` })).toBeEnabled();

  // And they can call again.
  await invite(bob, ada);
  await prompt(ada, bob).getByRole("button", { name: "Accept" }).click();
  await expectLiveVideo(bob.page, ada.name);
  await ada.page.getByRole("button", { name: "End chat" }).click();
  await expectState(bob, ada, "Available");
  await closeAll(ada, bob);
});

test("a declined invitation tells the inviter why", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  await invite(ada, bob);
  await prompt(bob, ada).getByRole("button", { name: "Decline" }).click();
  await expect(notice(ada)).toContainText(`${bob.name} declined.`);
  await expect(ada.page.getByTestId("outgoing")).toHaveCount(0);

  await invite(ada, bob);
  await prompt(bob, ada).getByRole("button", { name: "I have no camera" }).click();
  await expect(notice(ada)).toContainText(`${bob.name} has no camera available.`);
  await expect(prompt(bob, ada)).toHaveCount(0);
  await expectState(bob, ada, "Available");
  await closeAll(ada, bob);
});

test("a cancelled invitation disappears for the invitee", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  await invite(ada, bob);
  await expect(prompt(bob, ada)).toBeVisible();
  await ada.page.getByRole("button", { name: "Cancel" }).click();
  await expect(prompt(bob, ada)).toHaveCount(0);
  await expect(notice(bob)).toContainText(`${ada.name} cancelled the call.`);
  await expect(notice(ada)).toContainText("The invitation was cancelled.");
  await expectState(bob, ada, "Available");
  await closeAll(ada, bob);
});

test("inviting someone who just became busy is declined as busy, and the inviter hears it", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  // Cy's hub messages can be held back, so her list still shows Ada available.
  const cy = await open(browser, `Cy ${t}`);
  let holding = false;
  const held: (string | Buffer)[] = [];
  let release = () => {};
  await cy.page.routeWebSocket(/\/rtc$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => (holding ? held.push(message) : ws.send(message)));
    release = () => {
      holding = false;
      for (const message of held.splice(0)) ws.send(message);
    };
  });
  await cy.page.getByLabel("Your name").fill(cy.name);
  await cy.page.getByLabel("Your name").press("Enter");
  await expectState(cy, ada, "Available");

  holding = true;
  await invite(ada, bob);
  await expectState(bob, ada, "Invite pending");
  await buddy(cy, ada).getByRole("button", { name: `Invite ${ada.name}` }).click();
  await expect(cy.page.getByTestId("outgoing")).toContainText(`Calling ${ada.name}`);
  release();
  await expect(notice(cy)).toContainText(`${ada.name} is busy.`);
  await expect(cy.page.getByTestId("outgoing")).toHaveCount(0);
  await expectState(cy, ada, "Invite pending");
  // Ada never saw Cy's invitation; hers to Bob still rings.
  await expect(prompt(ada, cy)).toHaveCount(0);
  await expect(prompt(bob, ada)).toBeVisible();
  await closeAll(ada, bob, cy);
});

test("accepting one invitation declines the other", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  const cy = await join(browser, `Cy ${t}`);
  await invite(ada, cy);
  await invite(bob, cy);
  await expect(cy.page.getByTestId("incoming")).toHaveCount(2);
  await prompt(cy, ada).getByRole("button", { name: "Accept" }).click();
  await expect(notice(bob)).toContainText(`${cy.name} took another call.`);
  await expect(bob.page.getByTestId("outgoing")).toHaveCount(0);
  await expectState(bob, cy, "In a chat");
  await expectState(bob, ada, "In a chat");
  await expect(cy.page.getByTestId("chat")).toBeVisible();
  await closeAll(ada, bob, cy);
});

test("an invitee who closes the tab mid-invite frees the inviter", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  const cy = await join(browser, `Cy ${t}`);
  await invite(ada, bob);
  await expect(prompt(bob, ada)).toBeVisible();
  await bob.context.close();
  await expect(notice(ada)).toContainText(`${bob.name} left.`, { timeout: 15_000 });
  await expect(buddy(ada, bob)).toHaveCount(0);
  await expectState(cy, ada, "Available");
  await expect(buddy(ada, cy).getByRole("button", { name: `Invite ${cy.name}` })).toBeEnabled();
  await closeAll(ada, cy);
});

test("an audio-only call sends no video, and an auto-accept counts down", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  await ada.page.getByLabel("Audio only").check();
  await ada.page.getByLabel("How the invitation is answered").selectOption("5");
  await invite(ada, bob);
  await expect(prompt(bob, ada)).toContainText("invites you to an audio call");
  await expect(prompt(bob, ada).getByRole("timer")).toContainText(/Accepting automatically in [1-5] seconds?/);
  // Nobody clicks: the countdown accepts.
  const remote = bob.page.locator(`[data-testid=remote-tile][data-name="${ada.name}"]`);
  await expect(remote).toBeVisible({ timeout: 15_000 });
  await expect(remote.getByTestId("remote-camera-off")).toBeVisible({ timeout: 10_000 });
  const tracks = () =>
    remote.locator("video").evaluate((v: HTMLVideoElement) => {
      const stream = v.srcObject as MediaStream | null;
      return { audio: stream?.getAudioTracks().length ?? 0, video: stream?.getVideoTracks().length ?? 0 };
    });
  await expect.poll(async () => (await tracks()).audio, { timeout: 10_000 }).toBeGreaterThan(0);
  expect((await tracks()).video).toBe(0);
  await expect(ada.page.getByRole("button", { name: "Turn camera on" })).toBeDisabled();
  await closeAll(ada, bob);
});

test("a partner who closes the tab mid-chat ends the chat", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  await invite(ada, bob);
  await prompt(bob, ada).getByRole("button", { name: "Accept" }).click();
  await expectLiveVideo(ada.page, bob.name);
  await bob.context.close();
  await expect(notice(ada)).toContainText(`Chat with ${bob.name} ended: ${bob.name} left.`, { timeout: 15_000 });
  await expect(ada.page.getByTestId("chat")).toHaveCount(0);
  await expect(buddy(ada, bob)).toHaveCount(0);
  await closeAll(ada);
});

test("a partner who never connects ends the chat after 15 s instead of waiting forever", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  // Bob's video never starts: his request for the chat's token hangs.
  await bob.page.route("**/chats?sessionId=*", () => {});
  await invite(ada, bob);
  await prompt(bob, ada).getByRole("button", { name: "Accept" }).click();
  await expect(bob.page.getByText(`Connecting to ${ada.name}…`)).toBeVisible();
  await expect(ada.page.getByTestId("participant-count")).toHaveText("Only you so far");
  await expect(notice(ada)).toContainText(`Chat with ${bob.name} ended: ${bob.name} did not connect.`, {
    timeout: 25_000,
  });
  await expect(notice(bob)).toContainText("your video did not connect in time");
  await expectState(ada, bob, "Available");
  await closeAll(ada, bob);
});

test("only the two parties get a chat's token; a third person gets 403", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  const cy = await join(browser, `Cy ${t}`);
  const credentials = ada.page.waitForResponse((r) => r.url().includes("/chats?sessionId="));
  await invite(ada, bob);
  await prompt(bob, ada).getByRole("button", { name: "Accept" }).click();
  const response = await credentials;
  expect(response.status()).toBe(200);
  const sessionId = new URL(response.url()).searchParams.get("sessionId")!;
  const refused = await cy.page.request.get(`/chats?sessionId=${encodeURIComponent(sessionId)}`);
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toHaveProperty("error");
  const allowed = await bob.page.request.get(`/chats?sessionId=${encodeURIComponent(sessionId)}`);
  expect(allowed.status()).toBe(200);
  await closeAll(ada, bob, cy);
});

test("a reload rejoins under the same name without asking", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  await ada.page.reload();
  await expect(ada.page.getByTestId("presence-user")).toHaveText(ada.name);
  await expect(ada.page.getByRole("dialog")).toHaveCount(0);
  await expectState(ada, bob, "Available");
  await expect(buddy(bob, ada)).toHaveCount(1);
  // Still the same person: Bob can invite the reloaded Ada.
  await invite(bob, ada);
  await expect(prompt(ada, bob)).toBeVisible();
  await closeAll(ada, bob);
});

test("a bad name is refused with a message; the page fits a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/presence");
  await page.getByLabel("Your name").fill("   ");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByRole("alert")).toHaveText("Enter a name.");
  await expect(page.getByTestId("presence-user")).toHaveText("Not connected");
  // maxlength keeps the field at 50; the server refuses longer names itself.
  await page.getByLabel("Your name").fill("x".repeat(51));
  await expect(page.getByLabel("Your name")).toHaveValue("x".repeat(50));
  const tooLong = await page.request.post("/users", { data: { name: "x".repeat(51) } });
  expect(tooLong.status()).toBe(400);
  expect(await tooLong.json()).toHaveProperty("error");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await page.screenshot({ path: "test-results/presence-join-mobile.png", fullPage: true });
});

test("the buddy list, an invitation and the chat fit a phone", async ({ browser }) => {
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob with a rather long name ${t}`);
  await bob.page.setViewportSize({ width: 390, height: 844 });
  const overflows = () => bob.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await invite(ada, bob);
  await expect(prompt(bob, ada)).toBeVisible();
  expect(await overflows()).toBe(false);
  await bob.page.screenshot({ path: "test-results/presence-mobile.png", fullPage: true });
  await prompt(bob, ada).getByRole("button", { name: "Accept" }).click();
  await expectLiveVideo(bob.page, ada.name);
  expect(await overflows()).toBe(false);
  await bob.page.screenshot({ path: "test-results/presence-chat-mobile.png", fullPage: true });
  await ada.page.getByRole("button", { name: "End chat" }).click();
  await expect(notice(bob)).toContainText(`Chat with ${ada.name} ended.`);
  await bob.page.screenshot({ path: "test-results/presence-ended-mobile.png", fullPage: true });
  await closeAll(ada, bob);
});

const ringSeconds = Number(process.env.E2E_PRESENCE_RING_SECONDS ?? 30);

test("an unanswered invitation stops ringing after the ring timeout", async ({ browser }) => {
  test.setTimeout((ringSeconds + 30) * 1000);
  const t = tag();
  const ada = await join(browser, `Ada ${t}`);
  const bob = await join(browser, `Bob ${t}`);
  await invite(ada, bob);
  await expect(prompt(bob, ada)).toBeVisible();
  const timeout = { timeout: (ringSeconds + 10) * 1000 };
  await expect(notice(ada)).toContainText(`${bob.name} did not answer.`, timeout);
  await expect(prompt(bob, ada)).toHaveCount(0);
  await expect(notice(bob)).toContainText(`You missed a call from ${ada.name}.`);
  await expectState(bob, ada, "Available");
  await closeAll(ada, bob);
});
