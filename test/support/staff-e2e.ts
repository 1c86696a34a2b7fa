// Shared steps of the staff-page browser tests: a signed-in browser context, the "no sideways scrolling"
// check, and screenshots (written only when E2E_SCREENSHOTS names a folder, to look at by eye).
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Config } from '../../server/config.js';
import type { UserDoc } from '../../server/accounts/model.js';
import { seriousViolations } from './browser.js';
import { sessionCookie } from './factories.js';

/** The two sizes every staff page is checked at (issue 19): a phone and a laptop. */
export const PHONE_390: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP_1280: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const SIZES = [
  ['phone', PHONE_390],
  ['desktop', DESKTOP_1280],
] as const;

/** A browser context signed in as `user` (a session cookie, as if they had just signed in). */
export async function signedIn(browser: Browser, srv: { url: string; config: Config }, user: Pick<UserDoc, '_id' | 'tokenVersion'>, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext({ bypassCSP: true, ...options });
  const [name, value] = sessionCookie(srv.config, user).split('=') as [string, string];
  await context.addCookies([{ name, value, url: srv.url }]);
  return context;
}

/** How far the page scrolls sideways (0 when it does not), and the widest elements sticking out. */
export async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const overflow = root.scrollWidth - width;
    // Elements that stick out (some may sit in a scrolling box of their own: named only when the page scrolls).
    const culprits = overflow <= 0 ? [] : Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)} (${Math.round(e.getBoundingClientRect().right)} px)`);
    return { overflow, culprits };
  });
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png`, fullPage });
}

/**
 * seriousViolations (support/browser.ts) for a page shown with JavaScript turned off, where axe cannot run:
 * the same document, its scripts removed, is loaded at the same address in a context where it can.
 */
export async function seriousViolationsWithoutJs(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
  const url = page.url();
  const context = await page.context().browser()!.newContext({ bypassCSP: true, viewport: page.viewportSize() });
  try {
    const copy = await context.newPage();
    await copy.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(url);
    return await seriousViolations(copy);
  } finally {
    await context.close();
  }
}
