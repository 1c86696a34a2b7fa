// The end-to-end suites' shared setup: a test server and headless Chromium, started before the suite's
// tests and stopped after them. Call inside describe(); read env.srv and env.browser in the tests.
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startTestServer, type TestServer } from './server.js';

export interface E2eEnv {
  srv: TestServer;
  browser: Browser;
}

export function serverAndBrowser(...args: Parameters<typeof startTestServer>): E2eEnv {
  const env = {} as E2eEnv;
  before(async () => {
    env.srv = await startTestServer(...args);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.srv?.close();
  });
  return env;
}
