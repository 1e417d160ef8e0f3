// Files, the bell and plain words in real headless Chromium at 360 px (a phone) and 1366 px (a
// desk): a photo attached to a task shows on the case page; the bell shows a lapsed reply; task
// pages, task lists and the public page show no internal id, no "Yes"/"No" and no regex; nor do the
// officials' design pages (modeler toolbar, properties panel, lint, versions, form and process lists).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { photoBundle } from '../support/photo-bundle.js';
import { completeNext, openTask, startInstance } from '../support/walk.js';
import { P1_PASSED } from '../support/p1.js';
import { wushenToImplementation } from '../support/wushen.js';
import { launch, open, signIn } from './browser.js';

const PHONE = { width: 360, height: 760 };
const DESK = { width: 1366, height: 900 };
const LAPSE = '政府或有关部门未在期限内反馈：草场围栏维修';
/** A 2×2 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

let server: Server;
let browser: Browser;
let admin: Client;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ contentDir: ROOT, env: { NOTIFY_POLL_MS: '200' } }), launch()]);
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  for (const bundle of [
    photoBundle('photo-village', 'national', '照片测试村'),
    { jurisdiction: { id: 'test-gacha', name: '测试嘎查', parent: 'wushen-banner' }, parameters: { replyDeadline: 'PT1S' } },
  ]) {
    const res = await admin.post('/api/rulesets', bundle);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * What a person reads in the page's main part: no Latin-letter ids, no Yes/No, no regex. Form
 * descriptions are the rule set's own prose (they cite sources such as "seed 004") and are left out.
 */
async function expectPlainWords(page: Page, where: string, selector = 'main') {
  const text = await page.evaluate((selector) => {
    const main = document.querySelector(selector)!.cloneNode(true) as HTMLElement;
    for (const d of main.querySelectorAll('[id$="__description"], .field-description')) d.remove();
    document.body.append(main);
    const t = main.innerText;
    main.remove();
    return t;
  }, selector);
  expect(text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? [], `${where}: Latin words`).toEqual([]);
  expect(text, `${where}: regex`).not.toMatch(/\^|\\d|\[0-9|\$"/);
}

describe('attachments, the bell and plain words in the browser', () => {
  it('attaches a photo on a 360-px phone and shows it on the case page at 1366 px', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'photo-village', 'site-check');
    const task = await openTask(staff, inst.id, 'attach');

    const phone = await open(browser, server.url, PHONE);
    await signIn(phone, 'national.staff');
    await phone.page.goto(`/tasks/${task.id}`);
    await phone.page.waitForSelector('text=拍照');
    expect(await phone.page.getAttribute('input[capture]', 'accept')).toBe('image/*');
    await phone.page.setInputFiles('input[type=file][multiple]', { name: '签到簿.png', mimeType: 'image/png', buffer: PNG });
    await phone.page.waitForSelector('img[alt="签到簿.png"]');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.shot('attach-photo-360');
    await phone.page.click('button:has-text("提交")');
    await phone.page.waitForSelector('text=已提交');
    expect(phone.errors).toEqual([]);

    const desk = await open(browser, server.url, DESK);
    await signIn(desk, 'national.official');
    await desk.page.goto(`/instances/${inst.id}`);
    await desk.page.waitForSelector('dt:has-text("现场照片")');
    const img = desk.page.locator('img[alt="签到簿.png"]');
    await img.waitFor();
    expect(await img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(2);
    expect(await desk.page.locator('a[download="签到簿.png"]').count()).toBe(1);
    await desk.shot('instance-photo-1366');
    expect(desk.errors).toEqual([]);
  });

  it('rings the bell for a lapsed written reply, on a phone and at a desk', async () => {
    const staff = await Client.signIn(server.url, 'wushen-banner.staff');
    const inst = await wushenToImplementation(staff, 'test-gacha', '上级部门落实');
    await waitFor(async () => (await staff.get('/api/notifications?unread=true')).body.items.some((n: any) => n.instanceId === inst.id && n.title === LAPSE), 20_000, 'the lapse notification');
    for (const [viewport, name] of [[PHONE, 'bell-360'], [DESK, 'bell-1366']] as const) {
      const tab = await open(browser, server.url, viewport);
      await signIn(tab, 'wushen-banner.staff');
      const badge = tab.page.locator('.bell .badge');
      await badge.waitFor();
      expect(Number((await badge.innerText()).replace('+', ''))).toBeGreaterThanOrEqual(1);
      await tab.page.click('.bell button[aria-haspopup]');
      await tab.page.waitForSelector(`.bell-menu >> text=${LAPSE}`);
      await tab.shot(name);
      expect(tab.errors).toEqual([]);
    }
  });

  it('shows task lists, task pages (with yes/no questions) and the public page without ids, Yes/No or regex', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    await completeNext(staff, inst.id, 'collect', P1_PASSED.collect);
    const screen = await openTask(staff, inst.id, 'screen');
    for (const [viewport, suffix] of [[PHONE, '360'], [DESK, '1366']] as const) {
      const tab = await open(browser, server.url, viewport);
      await signIn(tab, 'national.staff');
      await tab.page.goto('/tasks');
      await tab.page.waitForSelector('.task-list li .meta:has-text("全国")');
      await expectPlainWords(tab.page, `task list ${suffix}`);
      await tab.shot(`plain-task-list-${suffix}`);
      await tab.page.goto(`/tasks/${screen.id}`);
      await tab.page.waitForSelector('text=是');
      await tab.page.click('button:has-text("提交")');
      await tab.page.waitForSelector('.error');
      await expectPlainWords(tab.page, `task page ${suffix}`);
      await tab.shot(`plain-task-${suffix}`);
      await tab.page.goto('/public/test-gacha');
      await tab.page.waitForSelector('article.result');
      await expectPlainWords(tab.page, `public page ${suffix}`);
      await tab.shot(`plain-public-${suffix}`);
      expect(tab.errors).toEqual([]);
    }
  });

  it('shows the design pages in Chinese with names, not ids: process and form lists, the modeler’s toolbar, panel, lint and versions', async () => {
    const tab = await open(browser, server.url, DESK);
    await signIn(tab, 'national.official');
    await tab.page.goto('/design');
    await tab.page.waitForSelector('table.list a:has-text("城乡社区协商")');
    await expectPlainWords(tab.page, 'process list');
    await tab.page.goto('/forms');
    await tab.page.waitForSelector('ul.plain a');
    await expectPlainWords(tab.page, 'form list');
    await tab.page.goto('/design/national/consultation');
    await tab.page.waitForSelector('.bjsl-button:has-text("没有问题")');
    await tab.page.click('button:has-text("查看全图")');
    await tab.page.locator('[data-element-id="collect"]').click({ force: true });
    await tab.page.waitForSelector('.bio-properties-panel-header-type:has-text("用户任务")');
    const headers = tab.page.locator('.bio-properties-panel-group-header');
    for (let n = 0; n < (await headers.count()); n++) {
      if (!(await headers.nth(n).getAttribute('class'))?.includes('open') && !(await headers.nth(n).locator('.bio-properties-panel-add-entry').count())) await headers.nth(n).click();
    }
    // What the official reads: the toolbar, the panel's header and group titles and the labels of
    // its fields (not the values, which are the diagram's own expressions), lint, versions.
    for (const part of ['.toolbar', '.bio-properties-panel-header', '.bjsl-button', 'section.lint', 'section.versions']) await expectPlainWords(tab.page, `modeler ${part}`, part);
    const labels = await tab.page.locator('.bio-properties-panel-group-header-title, .bio-properties-panel-label').allInnerTexts();
    expect(labels.join(' ').match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? [], 'properties panel labels').toEqual([]);
    await tab.shot('plain-modeler-1366');
    expect(tab.errors).toEqual([]);
  });
});
