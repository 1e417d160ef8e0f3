// 退回, 转办, 加签/减签, 审批意见 and 撤回 on a 360-px phone, in real headless Chromium: the reasons
// given show in the case's history, in the page and through the API. Screenshots: test/e2e/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, openTask, startInstance } from '../support/walk.js';
import { P1_PASSED } from '../support/p1.js';
import { launch, open, signIn } from './browser.js';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ contentDir: ROOT }), launch()]);
  const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  const res = await admin.post('/api/users', { username: 'clerk2', displayName: '王会计', password: 'pass-word-2026', memberships: [{ jurisdiction: 'national', roles: ['staff'] }] });
  expect(res.status).toBe(201);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Types into the open person picker and picks the person shown by that name. */
async function pickPerson(page: Page, typed: string, name: string) {
  await page.fill('.op-form .person-picker input[type=search]', typed);
  await page.click(`.op-form .person-picker .found button:has-text("${name}")`);
  await page.waitForSelector(`.op-form .person-picker .chosen li:has-text("${name}")`);
}

/** No account name shows where a person looks (the page's text, not its attributes). */
async function noAccounts(page: Page) {
  const text = await page.evaluate(() => document.body.innerText);
  for (const account of ['national.staff', 'national.official', 'clerk2', 'wushen-banner.staff']) expect(text).not.toContain(account);
}

describe('task operations on a phone', () => {
  it('returns a case with a reason, then transfers the reopened task and copies the case; the history shows each', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    await completeNext(staff, inst.id, 'collect', P1_PASSED.collect);

    const tab = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(tab, 'national.staff');
    await tab.page.click('a:has-text("待办")');
    await tab.page.click('a[href^="/tasks/"]:has-text("议题审查")');
    await tab.page.click('.op-buttons button:has-text("退回")');
    await tab.page.waitForSelector('select[name=step] option:has-text("收集问题并登记台账")', { state: 'attached' });
    await tab.page.fill('textarea[name=reason]', '缺少反映人联系电话，请补充');
    await tab.shot('task-return-360');
    await tab.page.click('button[type=submit]:has-text("确定 退回")');
    await tab.page.waitForSelector('.case-history li.op-Return:has-text("缺少反映人联系电话，请补充")');
    expect(await tab.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await tab.page.click('a:has-text("← 待办")');
    await tab.page.click('a[href^="/tasks/"]:has-text("登记台账")');
    await tab.page.waitForSelector('form.rjsf');
    expect(await tab.page.inputValue('#root_reporter')).toBe('张三'); // reopened with its last submission
    await tab.page.click('.op-buttons button:has-text("转办")');
    await pickPerson(tab.page, '王', '王会计');
    await tab.page.fill('textarea[name=reason]', '请王会计补充材料');
    await tab.page.click('button[type=submit]:has-text("确定 转办")');
    await tab.page.waitForSelector('.case-history li.op-Transfer:has-text("请王会计补充材料")');
    await tab.page.waitForSelector('.case-history li.op-Return');
    await tab.page.click('.op-buttons button:has-text("抄送")');
    // A reader of the banner under national: picked by name too.
    const readerName = (await staff.get('/api/users/people?jurisdiction=national&below=true&q=wushen-banner.staff')).body[0].displayName as string;
    await pickPerson(tab.page, readerName, readerName);
    await tab.page.fill('textarea[name=reason]', '请旗里知悉');
    await tab.page.click('button[type=submit]:has-text("确定 抄送")');
    await tab.page.waitForSelector(`.case-history li.op-CarbonCopy:has-text("${readerName}")`);
    await tab.shot('task-transfer-360');
    expect(await tab.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const view = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(view.history.filter((h: any) => h.type === 'Return')[0].data).toMatchObject({ to: 'collect', comment: '缺少反映人联系电话，请补充' });
    expect(view.history.filter((h: any) => h.type === 'Transfer')[0].data).toMatchObject({ to: 'clerk2', comment: '请王会计补充材料' });
    const collect = (await staff.get(`/api/tasks?status=open&limit=50`)).body.items.find((t: any) => t.instanceId === inst.id);
    expect(collect).toMatchObject({ elementId: 'collect', assignee: 'clerk2' });

    const reader = await Client.signIn(server.url, 'wushen-banner.staff');
    expect((await reader.get(`/api/instances/${inst.id}`)).status).toBe(200);

    // The lists: 我发起的 holds the case.
    await tab.page.goto('/tasks?tab=started');
    await tab.page.waitForSelector(`a[href="/instances/${inst.id}"]`);
    expect(tab.errors).toEqual([]);
  });

  it('adds signers before the holder, removes one, the other approves; a comment, then the starter withdraws the case', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    const task = await openTask(staff, inst.id, 'collect');
    const width = async (tab: { page: import('playwright-core').Page }) => tab.page.evaluate(() => document.documentElement.scrollWidth);

    const tab = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(tab, 'national.staff');
    await tab.page.goto(`/tasks/${task.id}`);
    await tab.page.click('button:has-text("认领")');
    await tab.page.click('.op-buttons button:has-text("加签")');
    await tab.page.selectOption('select[name=mode]', 'before');
    const officialName = (await staff.get('/api/users/people?jurisdiction=national&q=national.official')).body[0].displayName as string;
    await pickPerson(tab.page, officialName.slice(0, 2), officialName);
    await pickPerson(tab.page, '王', '王会计');
    expect(await tab.page.locator('.person-picker .chosen li').allInnerTexts()).toEqual([expect.stringContaining(officialName), expect.stringContaining('王会计')]);
    await tab.page.fill('textarea[name=reason]', '请书记先把关');
    await tab.page.click('button[type=submit]:has-text("确定 加签")');
    await tab.page.waitForSelector('.case-history li.op-Sign:has-text("请书记先把关")');
    await tab.page.waitForSelector('.sign-chain li:has-text("王会计")');
    await tab.page.click('.sign-chain button[aria-label="减签 王会计"]');
    await tab.page.waitForSelector('.case-history li.op-Unsign:has-text("王会计")');
    expect(await tab.page.locator('.sign-chain li').allInnerTexts()).toEqual([expect.stringContaining(`${officialName} · 前加签 · 待审批`)]);
    await tab.page.waitForSelector('text=等待加签人审批');
    await tab.shot('task-sign-360');
    await noAccounts(tab.page);
    expect(await width(tab)).toBeLessThanOrEqual(360);

    // The added signer approves with an opinion; the task returns to its holder.
    const leader = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(leader, 'national.official');
    await leader.page.goto(`/tasks/${task.id}`);
    await leader.page.waitForSelector('text=您是本任务的加签人');
    await leader.page.fill('textarea[name=opinion]', '同意受理，注意保护反映人信息');
    await leader.page.click('button.approve');
    await leader.page.waitForSelector('.done:has-text("已提交")');
    expect(leader.errors).toEqual([]);
    expect((await staff.get(`/api/tasks/${task.id}`)).body).toMatchObject({ status: 'open', assignee: 'national.staff' });

    // 审批意见 on the case, from the task page.
    await tab.page.reload();
    await tab.page.waitForSelector('.case-history li.op-Countersign:has-text("同意受理，注意保护反映人信息")');
    await tab.page.fill('textarea[name=comment]', '建议电话联系反映人');
    await tab.page.click('button:has-text("发表意见")');
    await tab.page.waitForSelector('.case-history li.op-Comment:has-text("建议电话联系反映人")');

    // 撤回 from 我发起的: the case page offers it to the starter, with a reason.
    await tab.page.goto('/tasks?tab=started');
    await tab.page.click(`a[href="/instances/${inst.id}"]`);
    await tab.page.click('.withdraw button:has-text("撤回")');
    await tab.page.fill('textarea[name=withdrawReason]', '登记有误，撤回重报');
    await tab.shot('case-withdraw-360');
    await tab.page.click('button[type=submit]:has-text("确定 撤回")');
    await tab.page.waitForSelector('.status.cancelled');
    await tab.page.waitForSelector('.case-history li.op-Withdraw:has-text("登记有误，撤回重报")');
    await tab.page.waitForSelector('.case-history li.op-Comment:has-text("建议电话联系反映人")');
    expect(await tab.page.locator('.withdraw').count()).toBe(0);

    const h = (await staff.get(`/api/instances/${inst.id}`)).body.history as any[];
    expect(h.map((e) => e.type).filter((x) => ['Sign', 'Unsign', 'Countersign', 'Comment', 'Withdraw'].includes(x))).toEqual(['Sign', 'Unsign', 'Countersign', 'Comment', 'Withdraw']);
    expect(tab.errors).toEqual([]);
  });
  it('a parallel added signer finds the task in 待办 and refuses it with a reason; the holder decides again', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    const task = await openTask(staff, inst.id, 'collect');
    expect((await staff.post(`/api/tasks/${task.id}/claim`)).status).toBe(200);
    const tab = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(tab, 'national.staff');
    await tab.page.goto(`/tasks/${task.id}`);
    await tab.page.click('.op-buttons button:has-text("加签")');
    await tab.page.selectOption('select[name=mode]', 'parallel');
    await pickPerson(tab.page, '王', '王会计');
    await tab.page.fill('textarea[name=reason]', '请王会计一并审核');
    await tab.page.click('button[type=submit]:has-text("确定 加签")');
    await tab.page.waitForSelector('.sign-chain li:has-text("王会计 · 并加签 · 待审批")');

    // The signer's 待办 lists it: no notification needed to find it.
    const signer = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(signer, 'clerk2', 'pass-word-2026');
    await signer.page.click('a:has-text("待办")');
    await signer.page.click(`a[href="/tasks/${task.id}"]`);
    await signer.page.waitForSelector('text=您是本任务的加签人');
    await signer.page.click('button.refuse'); // no reason: refused by the server, nothing changes
    await signer.page.waitForSelector('.error, [role=alert]');
    await signer.page.fill('textarea[name=opinion]', '反映人电话缺失，不同意');
    await signer.shot('task-sign-refuse-360');
    await noAccounts(signer.page);
    expect(await signer.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await signer.page.click('button.refuse');
    await signer.page.waitForSelector('.case-history li.op-SignRefuse:has-text("反映人电话缺失，不同意")');
    await signer.page.waitForSelector('.sign-chain li.refused:has-text("王会计")');
    expect(signer.errors).toEqual([]);
    await signer.page.click('a:has-text("← 待办")');
    await signer.page.waitForLoadState('networkidle');
    expect(await signer.page.locator(`a[href="/tasks/${task.id}"]`).count()).toBe(0);

    // The holder reads whose 不同意 it was and decides the task again.
    await tab.page.reload();
    await tab.page.waitForSelector('.refused:has-text("加签人不同意：王会计")');
    await tab.page.waitForSelector('.case-history li.op-SignRefuse:has-text("王会计")');
    await noAccounts(tab.page);
    await tab.shot('task-sign-refused-360');
    expect((await staff.get(`/api/tasks/${task.id}`)).body).toMatchObject({ status: 'open', assignee: 'national.staff' });
    const h = (await staff.get(`/api/instances/${inst.id}`)).body.history as any[];
    expect(h.find((e) => e.type === 'SignRefuse')).toMatchObject({ by: 'clerk2', data: { comment: '反映人电话缺失，不同意' } });
    expect(tab.errors).toEqual([]);
  });
});
