// The end-to-end suites' shared setup: a test server and headless Chromium, started before the suite's
// tests and stopped after them. Call inside describe(); read env.srv and env.browser in the tests.
// compiledServerAndBrowser() serves the suite from the compiled server process users run instead.
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startCompiledServer, startTestServer, type RunningServer, type TestServer } from './server.js';

export interface E2eEnv<S extends RunningServer = TestServer> {
  srv: S;
  browser: Browser;
}

function withBrowser<S extends RunningServer>(start: () => Promise<S>): E2eEnv<S> {
  const env = {} as E2eEnv<S>;
  before(async () => {
    env.srv = await start();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.srv?.close();
  });
  return env;
}

/** The app in this process: tests can reach its services. */
export function serverAndBrowser(...args: Parameters<typeof startTestServer>): E2eEnv {
  return withBrowser(() => startTestServer(...args));
}

/** `node dist/server/main.js` as a child process: tests see only what a user sees. */
export function compiledServerAndBrowser(env: Record<string, string> = {}): E2eEnv<RunningServer> {
  return withBrowser(() => startCompiledServer(env));
}
