// An official turns a step into a 会签 in the modeler's 议事 group, deploys, and a case runs
// through it: one task per signer, assigned to them; two suffice, the third closes, the case moves on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, Client, ROOT, startServer, type Server } from '../support/server.js';
import { P1_PASSED } from '../support/p1.js';
import { startInstance } from '../support/walk.js';
import { launch, open, signIn } from './browser.js';

let server: Server;
let browser: Browser;
const SIGNERS = ['signer.zhang', 'signer.li', 'signer.wang'];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ contentDir: ROOT }), launch()]);
  const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  for (const username of SIGNERS) {
    const res = await admin.post('/api/users', { username, displayName: username, password: 'long-enough-password', memberships: [{ jurisdiction: 'national', roles: ['council'] }] });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('会签 in the modeler', () => {
  it('lets an official make a step a 会签 of three where two suffice, deploy it, and a case runs through it', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'national.official');
    await tab.page.click('a:has-text("流程设计")');
    await tab.page.click('a:has-text("城乡社区协商")');
    await tab.page.waitForSelector('[data-element-id="collect"]');
    await tab.page.click('[data-element-id="collect"]');
    await tab.page.click('.bio-properties-panel-group-header:has-text("议事")');
    await tab.page.selectOption('select:near(:text("办理方式"))', { label: '多人同时办理（会签）' });
    await tab.page.fill('input:near(:text("办理人名单"))', SIGNERS.join('、'));
    await tab.page.waitForTimeout(500); // the panel commits after its debounce
    await tab.page.selectOption('select:near(:text("何时算完成"))', { label: '其中若干人办理完即可' });
    await tab.page.waitForSelector('text=需要几人');
    await tab.page.fill('input[type=number]:near(:text("需要几人"))', '2');
    await tab.page.waitForTimeout(500);
    await tab.page.waitForSelector('text=问题 (0)');
    await tab.shot('countersign-panel');
    await tab.page.click('button:has-text("发布新版本")');
    await tab.page.waitForSelector('text=已发布版本 第 2 版');
    await tab.shot('countersign-deployed');
    expect(tab.errors).toEqual([]);

    const official = await Client.signIn(server.url, 'national.official');
    const v2 = (await official.get('/api/processes/national/consultation')).body;
    expect(v2.xml).toContain('assignee="=signer"');
    expect(v2.xml).toMatch(/numberOfCompletedInstances &gt;= 2/);

    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    const tasks = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items;
    expect(tasks.map((t: any) => [t.elementId, t.assignee]).sort()).toEqual(SIGNERS.map((s) => ['collect', s]).sort());
    for (const signer of SIGNERS.slice(0, 2)) {
      const me = await Client.signIn(server.url, signer, 'long-enough-password');
      const mine = tasks.find((t: any) => t.assignee === signer);
      const res = await me.post(`/api/tasks/${mine.id}/complete`, { data: P1_PASSED.collect });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const third = (await staff.get(`/api/tasks/${tasks.find((t: any) => t.assignee === SIGNERS[2]).id}`)).body;
    expect(third.status).toBe('cancelled');
    const next = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items.map((t: any) => t.elementId);
    expect(next.length).toBeGreaterThan(0);
    expect(next).not.toContain('collect');

    await tab.page.goto(`/instances/${inst.id}`);
    await tab.page.waitForSelector('text=收集');
    await tab.shot('countersign-instance');
  });
});
