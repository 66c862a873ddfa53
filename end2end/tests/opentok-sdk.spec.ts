/**
 * Acceptance: the official npm `opentok` server SDK (2.23.2) against our
 * embedded engine. Sessions are created through our REST API, tokens minted
 * by the SDK (JWT and legacy T1, every role) must be accepted by our
 * verifier — checked through the session-info call OpenTok.js makes on
 * connect — and platform errors must surface the way the SDK reports them.
 */
import { expect, test } from "@playwright/test";
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

test("listArchives is empty; platform errors surface as the SDK reports them", async () => {
  const [archives, total] = await new Promise<[any[], number]>((resolve, reject) =>
    ot.listArchives({}, (err: any, items: any, count: any) => (err ? reject(err) : resolve([items, count]))),
  );
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
