// Headless Debian Chromium driven by playwright-core (never a downloaded browser), with the flags
// this closed network needs; every page's console errors are collected so a test can assert none.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, ROOT } from '../support/server.js';

export const SCREENSHOTS = path.join(ROOT, 'test/e2e/screenshots');
const CHROMIUM = '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (the CI script does)`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Tab {
  page: Page;
  /** Uncaught page errors and console errors other than expected HTTP refusals. */
  errors: string[];
  shot(name: string): Promise<void>;
}

export async function open(browser: Browser, base: string, viewport = { width: 1400, height: 900 }): Promise<Tab> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', baseURL: base });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|409|422)/.test(m.text())) errors.push(m.text());
  });
  return { page, errors, shot: async (name) => void (await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })) };
}

export async function signIn(tab: Tab, username: string, password = DEMO_PASSWORD) {
  await tab.page.goto('/');
  await tab.page.fill('input[name=username]', username);
  await tab.page.fill('input[name=password]', password);
  await tab.page.click('button[type=submit]');
  await tab.page.waitForSelector('button:has-text("退出")');
}
