/**
 * Recording a room on the embedded engine, end to end: two people in a
 * room (Chromium's fake camera and microphone), one presses Record, both
 * see the indicator; after 5 s Stop; the composed archive becomes
 * available and `ffprobe` finds one video and one audio stream lasting as
 * long as the recording ran (±1 s). An individual archive of the same kind
 * of room (started through seed 001's `POST /archive/start`) is a zip with
 * one WebM per stream and a manifest. A refused Record says why in words.
 */
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expectLiveVideo, tag } from "./helpers";

type Person = { context: BrowserContext; page: Page; errors: string[] };

/** `name` joins room `room` from a fresh browser context; `prepare` runs before the page loads. */
async function enter(browser: Browser, room: string, name: string, prepare?: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  if (prepare) await prepare(page);
  await page.goto(`/rooms/${room}`);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByTestId("participant-count")).toBeVisible({ timeout: 15_000 });
  return { context, page, errors } satisfies Person;
}

/** Two people in a new room who see each other. */
async function twoInARoom(browser: Browser, prepareBob?: (page: Page) => Promise<void>) {
  const room = `rec-${tag()}`;
  const ada = await enter(browser, room, "Ada");
  const bob = await enter(browser, room, "Bob", prepareBob);
  await expectLiveVideo(ada.page, "Bob");
  await expectLiveVideo(bob.page, "Ada");
  return { room, ada, bob };
}

/** Polls `GET /archive/{id}` until it is available (≤ 90 s); the archive. */
async function whenAvailable(request: APIRequestContext, id: string) {
  await expect
    .poll(async () => (await (await request.get(`/archive/${id}`)).json()).status, {
      timeout: 90_000,
      intervals: [1_000],
    })
    .toBe("available");
  return (await request.get(`/archive/${id}`)).json();
}

/** Downloads `url` into a temporary file; its path. */
async function download(request: APIRequestContext, url: string, name: string) {
  const response = await request.get(url);
  expect(response.status()).toBe(200);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rendezvous-archive-")), name);
  fs.writeFileSync(file, await response.body());
  return file;
}

async function leave(...people: Person[]) {
  for (const person of people) await person.context.close();
}

test("a 5-second two-party recording is one WebM with one video and one audio stream", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const { room, ada, bob } = await twoInARoom(browser);

  await ada.page.getByRole("button", { name: "Record" }).click();
  await expect(ada.page.getByTestId("recording")).toBeVisible();
  const shownAt = Date.now();
  // Everyone sees that the call is recorded, not only who pressed Record.
  await expect(bob.page.getByTestId("recording")).toBeVisible();
  await expect(bob.page.getByRole("button", { name: "Stop recording" })).toBeVisible();
  await ada.page.screenshot({ path: "test-results/room-recording.png", fullPage: true });
  await bob.page.setViewportSize({ width: 390, height: 844 });
  await bob.page.screenshot({ path: "test-results/room-recording-390.png", fullPage: true });

  await ada.page.waitForTimeout(Math.max(0, 5_000 - (Date.now() - shownAt)));
  await ada.page.getByRole("button", { name: "Stop recording" }).click();
  const recorded = (Date.now() - shownAt) / 1000;
  await expect(ada.page.getByTestId("recording")).toHaveCount(0);
  await expect(bob.page.getByTestId("recording")).toHaveCount(0);

  // Both are offered the recording; the link names the archive.
  const view = ada.page.getByRole("link", { name: "View the recording" });
  await expect(bob.page.getByRole("link", { name: "View the recording" })).toBeVisible();
  await expect(ada.page.getByRole("link", { name: "Open in Archives" })).toHaveAttribute("href", /^\/archives\?session=/);
  const id = /^\/archive\/([0-9a-f-]{36})\/view$/.exec((await view.getAttribute("href")) ?? "")?.[1];
  expect(id).toBeTruthy();

  const archive = await whenAvailable(request, id!);
  expect(archive).toMatchObject({ name: room, outputMode: "composed", hasAudio: true, hasVideo: true });
  expect(archive.size).toBeGreaterThan(0);
  const redirect = await request.get(`/archive/${id}/view`, { maxRedirects: 0 });
  expect(redirect.status()).toBe(302);
  expect(redirect.headers()["location"]).toBe(archive.url);

  const file = await download(request, archive.url, "archive.webm");
  const probe = JSON.parse(
    execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", file]).toString(),
  );
  const kinds = probe.streams.map((s: { codec_type: string }) => s.codec_type).sort();
  expect(kinds).toEqual(["audio", "video"]);
  const duration = Number(probe.format.duration);
  expect(Math.abs(duration - recorded), `file ${duration} s, recorded ${recorded} s`).toBeLessThanOrEqual(1);

  expect([...ada.errors, ...bob.errors]).toEqual([]);
  await leave(ada, bob);
});

test("an individual archive is a zip with one WebM per stream and a manifest", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const { room, ada, bob } = await twoInARoom(browser);
  const { sessionId } = await (await request.get(`/room/${room}`)).json();
  const started = await request.post("/archive/start", { data: { sessionId, outputMode: "individual" } });
  expect(started.status()).toBe(200);
  const { id, outputMode } = await started.json();
  expect(outputMode).toBe("individual");
  // Started through the API, still shown to everyone in the room.
  await expect(ada.page.getByTestId("recording")).toBeVisible();
  await expect(bob.page.getByTestId("recording")).toBeVisible();
  await ada.page.waitForTimeout(3_000);
  expect((await request.post(`/archive/${id}/stop`)).status()).toBe(200);
  await expect(bob.page.getByTestId("recording")).toHaveCount(0);

  const archive = await whenAvailable(request, id);
  expect(archive.url).toMatch(/\.zip$/);
  const zip = await download(request, archive.url, "archive.zip");
  const entries: [string, number][] = JSON.parse(
    execFileSync("python3", [
      "-c",
      "import json, sys, zipfile; print(json.dumps([(i.filename, i.file_size) for i in zipfile.ZipFile(sys.argv[1]).infolist()]))",
      zip,
    ]).toString(),
  );
  const webms = entries.filter(([name]) => name.endsWith(".webm"));
  expect(webms, JSON.stringify(entries)).toHaveLength(2);
  for (const [name, size] of webms) expect(size, name).toBeGreaterThan(0);
  expect(entries.filter(([name]) => name.endsWith(".json")), JSON.stringify(entries)).toHaveLength(1);
  expect(entries).toHaveLength(3);
  await leave(ada, bob);
});

test("a refused Record says why in words", async ({ browser, request }) => {
  // Bob's page is never told that a recording started, so he asks for a second one.
  const hideArchiveEvents = async (page: Page) => {
    await page.routeWebSocket(/\/rtc/, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => {
        if (!String(message).includes('"type":"archiveStarted"')) socket.send(message);
      });
      socket.onMessage((message) => server.send(message));
    });
  };
  const { room, ada, bob } = await twoInARoom(browser, hideArchiveEvents);
  await ada.page.getByRole("button", { name: "Record" }).click();
  await expect(ada.page.getByTestId("recording")).toBeVisible();
  await bob.page.getByRole("button", { name: "Record" }).click();
  await expect(bob.page.getByRole("alert").filter({ hasText: "This room is already being recorded" })).toBeVisible();
  await bob.page.screenshot({ path: "test-results/room-recording-refused.png", fullPage: true });
  await ada.page.getByRole("button", { name: "Stop recording" }).click();
  await expect(ada.page.getByTestId("recording")).toHaveCount(0);

  // The server functions refuse in words too.
  const nowhere = await request.post("/api/rooms/start_recording", { data: { room: `nowhere-${tag()}` } });
  expect(nowhere.status()).toBe(404);
  expect(await nowhere.text()).toContain("has no call yet: join it first.");
  const foreign = await request.post("/api/rooms/stop_recording", {
    data: { room, archive: "00000000-0000-4000-8000-000000000000" },
  });
  expect(foreign.status()).toBe(404);
  expect(await foreign.text()).toContain("That recording no longer exists.");
  await leave(ada, bob);
});
