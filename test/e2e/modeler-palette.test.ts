// An official draws a new procedure in the BPMN modeler with the palette, the context pad, the
// replace menu and the 议事 group of the panel — a quarterly timer start (每季度), a 会签 of three
// where two suffice, a call of another procedure of the jurisdiction — deploys it, and runs it: the
// timer start is scheduled a quarter ahead, the 会签 opens for the three signers, two approvals move
// the case on, and the called procedure's child instance starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { startInstance } from '../support/walk.js';
import { launch, open, signIn, type Tab } from './browser.js';

let server: Server;
let browser: Browser;
const SIGNERS = ['quarter.zhang', 'quarter.li', 'quarter.wang'];
const KEY = 'quarterly-review';

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

/** The shape of a diagram element on the main canvas (the minimap draws the diagram again). */
const shape = (id: string) => `.djs-container > svg [data-element-id="${id}"]`;

/** The element the modeler has selected: what an append or a replace just made. */
const selected = (tab: Tab) => tab.page.getAttribute('.djs-container > svg .djs-element.selected', 'data-element-id') as Promise<string>;

/** Selects an element with a click (a click that only closes a popup menu is repeated). */
async function select(tab: Tab, id: string) {
  for (let tries = 0; tries < 3; tries++) {
    await tab.page.click(shape(id));
    if (await tab.page.waitForSelector(`${shape(id)}.selected`, { timeout: 1000 }).catch(() => null)) return;
  }
  throw new Error(`${id} could not be selected`);
}

/** Ends typing a label by clicking an empty spot of the canvas. */
const done = (tab: Tab) => tab.page.click('.djs-container', { position: { x: 700, y: 40 } });

/** Appends an element after `from` through its context pad, names it, and returns its id. */
async function append(tab: Tab, from: string, action: string, name: string) {
  await select(tab, from);
  await tab.page.click(`.djs-context-pad [data-action="${action}"]`);
  const id = await selected(tab);
  await tab.page.keyboard.type(name); // bpmn-js opens the new element's label for typing
  await done(tab);
  return id;
}

/** Replaces the element through the replace menu of its context pad; returns the new element's id. */
async function replace(tab: Tab, id: string, option: string) {
  await select(tab, id);
  await tab.page.click('.djs-context-pad [data-action="replace"]');
  await tab.page.click(`.djs-popup [data-id="${option}"]`);
  return selected(tab);
}

/** Opens the panel's 议事 group for the element (it stays open from one element to the next). */
async function yishiGroup(tab: Tab, id: string) {
  await select(tab, id);
  const header = tab.page.locator('.bio-properties-panel-group-header:has-text("议事")');
  if (!(await header.getAttribute('class'))!.split(' ').includes('open')) await header.click();
}

describe('drawing in the BPMN modeler', () => {
  it('lets an official draw a quarterly timer start, a 会签 of three where two suffice and a call of another procedure, deploy it and run it', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'national.official');
    await tab.page.click('a:has-text("流程设计")');
    await tab.page.fill('input:near(:text("流程名称"))', '季度联席审议');
    await tab.page.fill('input:near(:text("代号"))', KEY);
    await tab.page.click('button:has-text("新建流程（流程图）")');
    await tab.page.waitForSelector('text=尚未发布');
    await tab.page.waitForSelector(shape('start'));
    await tab.page.click('.djs-minimap .toggle'); // it lies over the canvas's right end

    // 开始 → (merge) → 两委会签 (user task, 会签) → 转入社区协商 (call activity) → 结束
    const merge = await append(tab, 'start', 'append.gateway', '');
    const review = await replace(tab, await append(tab, merge, 'append.append-task', '两委会签'), 'replace-with-user-task');
    const call = await replace(tab, await append(tab, review, 'append.append-task', '转入社区协商'), 'replace-with-call-activity');
    await append(tab, call, 'append.end-event', '结束');

    // A second start from the palette, made a timer start that joins at the merge every quarter.
    await tab.page.click('.djs-palette [data-action="create.start-event"]');
    const box = (await tab.page.locator(shape('start')).boundingBox())!;
    await tab.page.mouse.click(box.x + box.width / 2, box.y + 160);
    const drawn = await selected(tab);
    await tab.page.keyboard.type('每季度自动发起');
    await done(tab);
    const timer = await replace(tab, drawn, 'replace-with-timer-start');
    await select(tab, timer);
    await tab.page.click('.djs-context-pad [data-action="connect"]');
    await tab.page.click(shape(merge));

    await yishiGroup(tab, timer);
    const recurrence = tab.page.locator('select:near(:text("定期发起"))').first();
    expect(await recurrence.locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['每天', '每周', '每月', '每季度', '每年']));
    await recurrence.selectOption({ label: '每季度' });

    await yishiGroup(tab, review);
    await tab.page.selectOption('select:near(:text("办理方式"))', { label: '多人同时办理（会签）' });
    await tab.page.fill('input:near(:text("办理人名单"))', SIGNERS.join('、'));
    await tab.page.waitForTimeout(500); // the panel commits after its debounce
    await tab.page.selectOption('select:near(:text("何时算完成"))', { label: '其中若干人办理完即可' });
    await tab.page.fill('input[type=number]:near(:text("需要几人"))', '2');
    await tab.page.waitForTimeout(500);

    await yishiGroup(tab, call);
    const called = tab.page.locator('select:near(:text("要调用的流程"))').first();
    await called.selectOption({ label: '城乡社区协商' });

    await tab.page.waitForSelector('text=问题 (0)');
    await tab.shot('modeler-drawn');
    await tab.page.click('button:has-text("发布新版本")');
    await tab.page.waitForSelector('text=已发布版本 第 1 版');
    expect(tab.errors).toEqual([]);

    const official = await Client.signIn(server.url, 'national.official');
    const v1 = (await official.get(`/api/processes/national/${KEY}`)).body;
    expect(v1.name).toBe('季度联席审议');
    expect(v1.xml).toMatch(/<bpmn:timeCycle[^>]*>R\/P3M<\/bpmn:timeCycle>/);
    expect(v1.xml).toMatch(/numberOfCompletedInstances &gt;= 2/);
    expect(v1.xml).toContain('processId="consultation"');

    // The timer start is scheduled a quarter ahead; nothing starts before then.
    const schedule = await waitFor(async () => (await official.get(`/api/processes/national/${KEY}/schedule`)).body.nextStart, 10_000, 'the timer start scheduled');
    const months = (Date.parse(schedule) - Date.now()) / (30.4 * 86_400_000);
    expect(months).toBeGreaterThan(2.8);
    expect(months).toBeLessThan(3.2);
    await tab.page.reload();
    await tab.page.waitForSelector(`text=下次定时发起`);
    await tab.shot('modeler-schedule');

    // A case through the none start: the 会签 opens for the three signers; two suffice.
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', KEY);
    const tasks = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items;
    expect(tasks.map((t: any) => [t.elementId, t.assignee]).sort()).toEqual(SIGNERS.map((s) => [review, s]).sort());
    for (const signer of SIGNERS.slice(0, 2)) {
      const me = await Client.signIn(server.url, signer, 'long-enough-password');
      const res = await me.post(`/api/tasks/${tasks.find((t: any) => t.assignee === signer).id}/complete`, { data: { notes: '同意' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect((await staff.get(`/api/tasks/${tasks.find((t: any) => t.assignee === SIGNERS[2]).id}`)).body.status).toBe('cancelled');

    // The call activity started 城乡社区协商 as the case's child, waiting on its first step.
    const view = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(view.active.map((a: any) => a.elementId)).toEqual([call]);
    expect(view.children.map((c: any) => [c.processKey, c.parentRef ? 'linked' : 'unlinked'])).toEqual([['consultation', 'linked']]);
    const children = view.children;
    const childTasks = (await staff.get(`/api/tasks?status=open&instanceId=${children[0].id}`)).body.items;
    expect(childTasks.map((t: any) => t.elementId)).toEqual(['collect']);
  });
});
