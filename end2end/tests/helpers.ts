/**
 * Helpers shared by the browser specs: whether a remote participant's
 * video really plays (frames arrive and time advances), and for the
 * customer-service specs the staff side over the API — signing in, new
 * representatives (created by the administrator of playwright.config.ts
 * through `POST /api/accounts`), emptying the queue — and a customer's
 * request on /support.
 */
import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** The remote tile of `name` plays live video: frames arrive and time advances. */
export async function expectLiveVideo(page: Page, name: string) {
  const video = page.locator(`[data-testid=remote-tile][data-name="${name}"] video`);
  await expect(video).toHaveCount(1, { timeout: 15_000 });
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 })
    .toBeGreaterThan(0);
  const start = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
    .toBeGreaterThan(start);
}

/** A short random tag that keeps names unique across tests and runs. */
export const tag = () => Math.random().toString(36).slice(2, 7);

/** The `Authorization` header of a Bearer `token`. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Signs in over `POST /api-token-auth/`; the Bearer token. */
export async function signIn(request: APIRequestContext, username: string, password: string) {
  const response = await request.post("/api-token-auth/", { data: { username, password } });
  expect(response.status()).toBe(200);
  return (await response.json()).token as string;
}

/** The administrator's `Authorization` header. */
async function adminHeaders(request: APIRequestContext) {
  const username = process.env.E2E_ADMIN_USERNAME!;
  return bearer(await signIn(request, username, process.env.E2E_ADMIN_PASSWORD!));
}

/** A new representative account named after `name` (created by the administrator). */
export async function newRep(request: APIRequestContext, name = "rep") {
  const username = `${name}-${tag()}`.toLowerCase();
  const password = `pw-${tag()}-${tag()}`;
  const response = await request.post("/api/accounts", {
    headers: await adminHeaders(request),
    data: { username, password, role: "rep" },
  });
  expect(response.status()).toBe(201);
  return { username, password };
}

/** Empties the queue (a failed earlier test may have left someone in it):
 * takes each waiting customer — as the staff member of `headers`, the
 * administrator by default — and ends their help session. */
export async function drain(request: APIRequestContext, headers?: Record<string, string>) {
  const staff = headers ?? (await adminHeaders(request));
  for (let i = 0; i < 50; i++) {
    const taken = await request.delete("/help/queue", { headers: staff });
    if (taken.status() === 204) return;
    expect(taken.status()).toBe(200);
    const { queueId } = await taken.json();
    await request.delete(`/help/queue/${encodeURIComponent(queueId)}`);
  }
  throw new Error("the queue did not empty");
}

/** On /support: opens the form, fills it in and sends it. */
export async function askForHelp(page: Page, name: string, problem: string) {
  await page.getByRole("button", { name: "Talk to a representative" }).click();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("What do you need help with?").fill(problem);
  await page.getByRole("button", { name: "Request a representative" }).click();
}
