import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The server is started by scripts/test.sh
// (the release build) and named by QUILL_E2E_URL.
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.QUILL_E2E_URL ?? 'http://127.0.0.1:3000',
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true } },
    { name: 'js-off', use: { javaScriptEnabled: false } },
  ],
});
