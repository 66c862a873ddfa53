/**
 * Helpers shared by the browser specs: whether a remote participant's
 * video really plays (frames arrive and time advances).
 */
import { expect, type Page } from "@playwright/test";

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
