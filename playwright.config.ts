import { defineConfig } from '@playwright/test';
import { serverNodeFlags } from './scripts/server-flags.mjs';

const port = Number(process.env.E2E_PORT ?? 4322);
// One database file per run, shared by the server and the tests that check what it stored.
process.env.GUICHET_E2E_DB ??= `data/e2e-${Date.now()}.db`;
// Mails the server sends arrive at a real SMTP server, which writes them here for the tests.
process.env.GUICHET_E2E_MAIL ??= `${process.env.GUICHET_E2E_DB}.mail`;
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 4325);

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // No internet here: keep Chromium from trying to reach it.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  // The crash tests kill servers under load and time how soon the service answers again: they
  // run last, one after the other, when the rest of the suite no longer loads the machine.
  projects: [
    { name: 'main', testIgnore: /crash\.spec\.ts$/ },
    { name: 'crash', testMatch: /crash\.spec\.ts$/, dependencies: ['main'] },
  ],
  globalTeardown: './tests/e2e/global-teardown.ts',
  webServer: [
    {
      command: 'node tests/e2e/smtp-sink.mjs',
      port: smtpPort,
      reuseExistingServer: false,
      env: { GUICHET_E2E_MAIL: process.env.GUICHET_E2E_MAIL, E2E_SMTP_PORT: String(smtpPort) },
    },
    {
      command: `node ${serverNodeFlags().join(' ')} scripts/start.mjs`,
      url: `http://127.0.0.1:${port}/`,
      timeout: 180_000,
      reuseExistingServer: false,
      // The server logs a JSON line per request: not shown with the tests' output.
      stdout: 'ignore',
      env: { HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: `file:${process.env.GUICHET_E2E_DB}`, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'Guichet <aide@example.org>' },
    },
  ],
});
