/**
 * Playwright set-up: Debian Chromium (never a downloaded browser) with fake
 * camera and microphone, one worker (2-core machines), and the server under
 * test started by Playwright itself on port 3100 with a fresh data directory
 * and fixed engine credentials (exported for the SDK interop tests).
 */
import { defineConfig } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;

// Fixed engine credentials, so the Node SDK tests know the project's secret.
process.env.E2E_API_KEY ??= "4567890";
process.env.E2E_API_SECRET ??= "0123456789abcdef0123456789abcdef01234567";
process.env.E2E_BASE_URL = baseURL;
const dataDir =
  process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "rendezvous-e2e-"));
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        "--allow-loopback-in-peer-connection",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    // E2E_SERVER=./target/release/server checks a release build instead.
    command: process.env.E2E_SERVER ?? "./target/debug/server",
    cwd: "..",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      DATA_DIR: dataDir,
      ENGINE_API_KEY: process.env.E2E_API_KEY,
      ENGINE_API_SECRET: process.env.E2E_API_SECRET,
      RUST_LOG: "warn",
    },
  },
});
