/**
 * Acceptance: the official npm `opentok` server SDK (2.23.2) against our
 * embedded engine. Sessions are created through our REST API, tokens minted
 * by the SDK (JWT and legacy T1, every role) must be accepted by our
 * verifier — checked through the session-info call OpenTok.js makes on
 * connect — and platform errors must surface the way the SDK reports them.
 * Interop with the realtime hub: a page's plain WebSocket joins with an
 * SDK-minted token, and the SDK's signal, listStreams and forceDisconnect
 * act on that live connection; with that client connected, the SDK's
 * archive calls drive a recording from start to a served file to deletion.
 */
import { expect, test, type Page } from "@playwright/test";
import OpenTok = require("opentok");

const apiKey = process.env.E2E_API_KEY!;
const apiSecret = process.env.E2E_API_SECRET!;
const baseURL = process.env.E2E_BASE_URL!;
const ot = new OpenTok(apiKey, apiSecret, { apiUrl: baseURL } as any);

function createSession(options: object): Promise<any> {
  return new Promise((resolve, reject) =>
    ot.createSession(options as any, (err: any, session: any) => (err ? reject(err) : resolve(session))),
  );
}

/** Asks our engine to verify a client token the way OpenTok.js does on connect. */
async function sessionInfo(sessionId: string, token: string) {
  return fetch(`${baseURL}/session/${encodeURIComponent(sessionId)}?extended=true`, {
    headers: { "X-OPENTOK-AUTH": token, Accept: "application/json" },
  });
}

const roles = ["subscriber", "publisher", "publisheronly", "moderator"] as const;

test("createSession: relayed, routed and with a location", async () => {
  const relayed = await createSession({});
  const routed = await createSession({ mediaMode: "routed" });
  const located = await createSession({ mediaMode: "routed", location: "12.34.56.78" });
  for (const session of [relayed, routed, located]) {
    expect(session.sessionId).toMatch(/^1_[A-Za-z0-9_-]+$/);
  }
  expect(new Set([relayed.sessionId, routed.sessionId, located.sessionId]).size).toBe(3);
  const decoded = Buffer.from(located.sessionId.slice(2).replace(/-/g, "+").replace(/_/g, "/"), "base64").toString();
  expect(decoded.split("~")[1]).toBe(apiKey);
  expect(decoded.split("~")[2]).toBe("12.34.56.78");
});

test("generateToken: JWT and T1 for every role are accepted by our verifier", async () => {
  const session = await createSession({ mediaMode: "routed" });
  for (const role of roles) {
    for (const legacy of [false, true]) {
      const token: string = (ot as any).generateToken(
        session.sessionId,
        { role, data: `name=Ada ${role}`, initialLayoutClassList: ["focus", "main"] },
        legacy,
      );
      expect(token.startsWith("T1==")).toBe(legacy);
      const res = await sessionInfo(session.sessionId, token);
      expect(res.status, `${role} ${legacy ? "T1" : "JWT"}`).toBe(200);
      const body = await res.json();
      expect(body[0].session_id).toBe(session.sessionId);
    }
  }
});

test("a tampered or foreign token is refused", async () => {
  const session = await createSession({});
  const token: string = ot.generateToken(session.sessionId);
  const tampered = token.slice(0, -3) + (token.endsWith("abc") ? "xyz" : "abc");
  expect((await sessionInfo(session.sessionId, tampered)).status).toBe(403);
  const other = await createSession({});
  expect((await sessionInfo(other.sessionId, token)).status).toBe(403);
});

/** `listArchives` with `options`: the items and the total count. */
function listArchives(options: object): Promise<[any[], number]> {
  return new Promise((resolve, reject) =>
    ot.listArchives(options as any, (err: any, items: any, count: any) => (err ? reject(err) : resolve([items, count]))),
  );
}

test("listArchives of a new session is empty; platform errors surface as the SDK reports them", async () => {
  const fresh = await createSession({ mediaMode: "routed" });
  const [archives, total] = await listArchives({ sessionId: fresh.sessionId });
  expect(archives).toEqual([]);
  expect(total).toBe(0);

  const getErr = await new Promise<any>((resolve) =>
    ot.getArchive("6d1b7c65-9d8e-4a8b-8f2e-3f4b5c6d7e8f", (err: any) => resolve(err)),
  );
  expect(getErr).toBeTruthy();
  expect(getErr.message).toBe("Archive not found");

  const relayed = await createSession({});
  const startErr = await new Promise<any>((resolve) =>
    ot.startArchive(relayed.sessionId, { name: "nope" }, (err: any, archive: any) => resolve(err ?? archive)),
  );
  expect(startErr).toBeInstanceOf(Error);
  expect(String(startErr.message)).toMatch(/409|relayed|routed/i);
});

/** Runs an SDK call that takes a Node-style callback. */
function call<T>(start: (callback: (err: any, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value as T))));
}

/**
 * Opens the home page and, inside it, a plain WebSocket to our hub that
 * joins `sessionId` with `token`. Every frame it receives is kept in
 * `window.hub.frames`; `window.hub.closed` is set when the socket closes.
 * Returns the first frame (`connected`, or the refusal).
 */
async function joinFromPage(page: Page, sessionId: string, token: string): Promise<any> {
  await page.goto("/");
  return page.evaluate(
    async ({ sessionId, token }) => {
      const hub = { frames: [] as any[], closed: null as null | { code: number }, socket: null as any };
      (window as any).hub = hub;
      const socket = new WebSocket(`ws://${location.host}/rtc`);
      hub.socket = socket;
      socket.onclose = (event) => (hub.closed = { code: event.code });
      const first = new Promise<any>((resolve) => {
        socket.onmessage = (event) => {
          const frame = JSON.parse(event.data);
          hub.frames.push(frame);
          resolve(frame);
        };
      });
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = () => reject(new Error("the hub socket failed to open"));
      });
      socket.send(JSON.stringify({ type: "connect", sessionId, token }));
      return first;
    },
    { sessionId, token },
  );
}

/** Waits for the page's hub socket to receive a frame matching `fields`, and returns it. */
async function frame(page: Page, fields: Record<string, unknown>): Promise<any> {
  const handle = await page.waitForFunction(
    (fields) =>
      (window as any).hub.frames.find((f: any) => Object.entries(fields).every(([k, v]) => f[k] === v)),
    fields,
  );
  return handle.jsonValue();
}

/** Sends one JSON message on the page's hub socket. */
async function sendFromPage(page: Page, message: object): Promise<void> {
  await page.evaluate((text) => (window as any).hub.socket.send(text), JSON.stringify(message));
}

test("hub interop: an SDK token joins; SDK signal, listStreams and forceDisconnect act on it", async ({ page }) => {
  const session = await createSession({ mediaMode: "routed" });
  const token: string = ot.generateToken(session.sessionId, { role: "publisher", data: "name=Ada" });
  const connected = await joinFromPage(page, session.sessionId, token);
  expect(connected.type, JSON.stringify(connected)).toBe("connected");
  const connectionId: string = connected.connectionId;

  // A REST signal from the SDK reaches the page's socket, from nobody (`from: null`).
  await call((cb) => ot.signal(session.sessionId, null as any, { type: "chat", data: "hello from the SDK" }, cb));
  expect(await frame(page, { type: "signal", signalType: "chat" })).toEqual({
    type: "signal",
    signalType: "chat",
    data: "hello from the SDK",
    from: null,
  });
  await call((cb) => ot.signal(session.sessionId, connectionId, { type: "direct", data: "just you" }, cb));
  expect((await frame(page, { type: "signal", signalType: "direct" })).data).toBe("just you");

  // A stream the page publishes is what the SDK lists.
  await sendFromPage(page, {
    type: "publish",
    id: "p1",
    name: "Ada's camera",
    hasAudio: true,
    hasVideo: true,
    videoType: "camera",
  });
  await frame(page, { type: "ack", id: "p1" });
  const created = await frame(page, { type: "streamCreated" });
  const streams = await call<any[]>((cb) => ot.listStreams(session.sessionId, cb));
  expect(streams.map((s) => ({ id: s.id, name: s.name, videoType: s.videoType }))).toEqual([
    { id: created.stream.streamId, name: "Ada's camera", videoType: "camera" },
  ]);

  // forceDisconnect closes the page's socket; its stream and connection are gone.
  await call((cb) => ot.forceDisconnect(session.sessionId, connectionId, cb));
  await page.waitForFunction(() => (window as any).hub.closed !== null);
  expect(await call<any[]>((cb) => ot.listStreams(session.sessionId, cb))).toEqual([]);
  const gone = await call((cb) => ot.signal(session.sessionId, connectionId, { type: "late", data: "x" }, cb)).then(
    () => null,
    (err) => err,
  );
  expect(gone?.message).toBe("Session or Connection not found");
});

test("archives: startArchive, stopArchive, getArchive, listArchives by session, deleteArchive", async ({ page }) => {
  test.setTimeout(90_000);
  const session = await createSession({ mediaMode: "routed" });
  const token: string = ot.generateToken(session.sessionId, { role: "publisher", data: "name=Rec" });
  expect((await joinFromPage(page, session.sessionId, token)).type).toBe("connected");

  const started = await call<any>((cb) => ot.startArchive(session.sessionId, { name: "sdk archive" }, cb));
  expect(started.status).toBe("started");
  expect(started.name).toBe("sdk archive");
  expect(started.sessionId).toBe(session.sessionId);
  expect(started.outputMode).toBe("composed");
  expect(await frame(page, { type: "archiveStarted" })).toEqual({ type: "archiveStarted", id: started.id, name: "sdk archive" });
  const second = await call((cb) => ot.startArchive(session.sessionId, {}, cb)).then(
    () => null,
    (err) => err,
  );
  expect(String(second?.message)).toMatch(/409|already|recorded/i);

  const stopped = await call<any>((cb) => ot.stopArchive(started.id, cb));
  expect(stopped.status).toBe("stopped");
  expect(stopped.reason).toBe("user initiated");
  await frame(page, { type: "archiveStopped", id: started.id });

  await expect
    .poll(async () => (await call<any>((cb) => ot.getArchive(started.id, cb))).status, { timeout: 60_000 })
    .toBe("available");
  const available = await call<any>((cb) => ot.getArchive(started.id, cb));
  expect(available.url).toMatch(new RegExp(`/recordings/${started.id}/archive\\.webm$`));
  expect(available.size).toBeGreaterThan(0);
  expect(available.duration).toBeGreaterThanOrEqual(1);
  const file = await fetch(new URL(available.url, baseURL));
  expect(file.status).toBe(200);
  expect(file.headers.get("content-type")).toBe("video/webm");
  expect((await file.arrayBuffer()).byteLength).toBe(available.size);

  const [items, count] = await listArchives({ sessionId: session.sessionId });
  expect(count).toBe(1);
  expect(items.map((a) => [a.id, a.status])).toEqual([[started.id, "available"]]);

  await call((cb) => ot.deleteArchive(started.id, cb));
  const missing = await call((cb) => ot.getArchive(started.id, cb)).then(
    () => null,
    (err) => err,
  );
  expect(missing?.message).toBe("Archive not found");
  expect((await listArchives({ sessionId: session.sessionId }))[1]).toBe(0);
  expect((await fetch(new URL(available.url, baseURL))).status).toBe(404);
});
