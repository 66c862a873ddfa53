/**
 * Playwright set-up: Debian Chromium (never a downloaded browser) with fake
 * camera and microphone, one worker (2-core machines), and two instances of
 * the server under test, started by Playwright itself with fresh data
 * directories: the main one on port 3100 (embedded engine, fixed credentials
 * exported for the SDK interop tests), and a "cloud" one on port 3101 whose
 * OpenTok provider is the main one's engine (OPENTOK_API_KEY / _SECRET /
 * _URL), so its pages use the `opentok` video backend and OpenTok.js.
 * The main instance starts with an administrator account (E2E_ADMIN_USERNAME
 * / E2E_ADMIN_PASSWORD) for the customer-service tests.
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

// The instance whose "Vonage / OpenTok cloud" is the main instance's engine.
const cloudPort = Number(process.env.E2E_CLOUD_PORT ?? port + 1);
export const cloudURL = `http://127.0.0.1:${cloudPort}`;
process.env.E2E_CLOUD_URL = cloudURL;
const cloudDataDir =
  process.env.E2E_CLOUD_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "rendezvous-e2e-cloud-"));
process.env.E2E_CLOUD_DATA_DIR = cloudDataDir;
// The first administrator of the main instance (customer-service tests sign
// in with it and create representatives through `POST /api/accounts`).
process.env.E2E_ADMIN_USERNAME ??= "admin";
process.env.E2E_ADMIN_PASSWORD ??= "e2e-admin-password";
// Invitations ring for 10 s instead of 30 under test, so the ring-timeout test is quick.
process.env.E2E_PRESENCE_RING_SECONDS ??= "10";
// E2E_SERVER=./target/release/server checks a release build instead.
const serverCommand = process.env.E2E_SERVER ?? "./target/debug/server";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // Real browsers, real WebRTC and a busy 2-core CI box: one retry, reported as
  // "flaky" in the list (a test that fails twice still fails the run).
  retries: process.env.CI ? 1 : 0,
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
  webServer: [
    {
      command: serverCommand,
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
        PRESENCE_RING_SECONDS: process.env.E2E_PRESENCE_RING_SECONDS,
        ADMIN_USERNAME: process.env.E2E_ADMIN_USERNAME,
        ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
        RUST_LOG: "warn",
      },
    },
    {
      command: serverCommand,
      cwd: "..",
      url: `${cloudURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        LEPTOS_SITE_ADDR: `127.0.0.1:${cloudPort}`,
        LEPTOS_SITE_ROOT: "target/site",
        DATA_DIR: cloudDataDir,
        OPENTOK_API_KEY: process.env.E2E_API_KEY,
        OPENTOK_API_SECRET: process.env.E2E_API_SECRET,
        OPENTOK_API_URL: baseURL,
        RUST_LOG: "warn",
      },
    },
  ],
});
