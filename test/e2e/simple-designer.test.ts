// 流程简图 in real headless Chromium at 360 px: an official builds "登记 → 两委会签（3 人，2 人同意
// 即可）→ 抄送乡镇 → 公示" as a list of nodes, deploys it, and a case runs through it (two of the
// three signers approve, the case moves on); the same diagram opens in the BPMN modeler, and a
// diagram the simple designer cannot express opens there only, with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { P1_PASSED } from '../support/p1.js';
import { instance, openTask, startInstance } from '../support/walk.js';
import { launch, open, signIn } from './browser.js';

let server: Server;
let browser: Browser;
const SIGNERS = ['cadre.zhao', 'cadre.qian', 'cadre.sun'];
const NAMES: Record<string, string> = { 'cadre.zhao': '赵委员', 'cadre.qian': '钱委员', 'cadre.sun': '孙委员' };
const PASSWORD = 'long-enough-password';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ contentDir: ROOT }), launch()]);
  const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  for (const username of SIGNERS) {
    const res = await admin.post('/api/users', { username, displayName: NAMES[username], password: PASSWORD, memberships: [{ jurisdiction: 'national', roles: ['two-committees'] }] });
    expect(res.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Appends a node of `kind` (审批人, 办理人, 抄送) at the end of the main list and opens its editor. */
async function append(page: Page, kind: string, name: string) {
  await page.locator('.simple-flow > .node-list > li.between').last().locator('button.add').click();
  await page.click(`.add-menu button:has-text("${kind}")`);
  const node = page.locator('.simple-flow > .node-list > li.node').last();
  await node.locator('button:has-text("编辑")').click();
  await node.locator('input[name=nodeName]').fill(name);
  return node;
}

describe('流程简图', () => {
  it('an official builds a 会签 procedure as a list of nodes, deploys it, a case runs through it, and the modeler opens it', async () => {
    const tab = await open(browser, server.url, { width: 360, height: 740 });
    const { page } = tab;
    await signIn(tab, 'national.official');
    await page.click('a:has-text("流程设计")');
    await page.click('a:has-text("新建流程（简图）")');
    await page.fill('input[name=processName]', '村务公开事项');
    await page.fill('input[name=processKey]', 'village-notice');

    const register = await append(page, '办理人', '登记');
    await register.locator('select[name=group]').selectOption({ label: '社区（村）工作人员' });
    await register.locator('select[name=form]').selectOption({ label: '问题登记（台账）' });
    await register.locator('input[name=days]').fill('3');

    const committees = await append(page, '审批人', '两委会签');
    await committees.locator('select[name=approval]').selectOption({ label: '会签（多人同时审批）' });
    // The signers are picked by name, searched as one types; the accounts are what the diagram keeps.
    for (const account of SIGNERS) {
      await committees.locator('.person-picker input[type=search]').fill(NAMES[account]!.slice(0, 1));
      await committees.locator(`.person-picker .found button:has-text("${NAMES[account]}")`).click();
    }
    expect(await committees.locator('.person-picker .chosen li').allInnerTexts()).toEqual(SIGNERS.map((a) => expect.stringContaining(NAMES[a]!)));
    expect(await committees.locator('.person-picker').innerText()).not.toContain('cadre.');
    await committees.locator('input[name=required]').fill('2');
    await page.waitForSelector('li.node[data-node="两委会签"] .summary:has-text("2 人同意即可")');

    const copy = await append(page, '抄送', '抄送乡镇');
    await copy.locator('label.check:has-text("乡镇（街道）党委") input').check();
    await copy.locator('input[name=message]').fill('村务公开事项已经两委会签');

    const publicity = await append(page, '办理人', '公示');
    await publicity.locator('select[name=group]').selectOption({ label: '社区（村）工作人员' });
    await publicity.locator('input[name=days]').fill('7');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.click('button:has-text("发布新版本")');
    await page.waitForSelector('text=已发布版本 第 1 版');
    // (A full-page screenshot leaves the scroll position stale: taken after the clicks.)
    await tab.shot('simple-designer-360');
    expect(tab.errors).toEqual([]);

    // The deployed diagram: the four steps in order, 会签 as a parallel multi-instance where two suffice.
    const official = await Client.signIn(server.url, 'national.official');
    const { xml } = (await official.get('/api/processes/national/village-notice')).body;
    const ids = (name: string) => new RegExp(`<bpmn:(userTask|serviceTask) id="([^"]+)" name="${name}"`).exec(xml)![2]!;
    expect(xml).toMatch(/numberOfCompletedInstances &gt;= 2/);
    expect(xml).toContain('<zeebe:header key="to" value="township" />');

    // A case runs through it: 登记, then three signers of whom two approve, then 公示.
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'village-notice');
    const reg = await openTask(staff, inst.id, ids('登记'));
    expect(reg.due).toBeTruthy();
    expect((await staff.post(`/api/tasks/${reg.id}/complete`, { data: P1_PASSED.collect })).status).toBe(200);
    const signing = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items;
    expect(signing.map((t: any) => t.assignee).sort()).toEqual([...SIGNERS].sort());
    for (const signer of SIGNERS.slice(0, 2)) {
      const me = await Client.signIn(server.url, signer, PASSWORD);
      const mine = signing.find((t: any) => t.assignee === signer);
      expect((await me.post(`/api/tasks/${mine.id}/complete`, { data: {} })).status).toBe(200);
    }
    const third = signing.find((t: any) => t.assignee === SIGNERS[2]);
    expect((await staff.get(`/api/tasks/${third.id}`)).body.status).toBe('cancelled');
    const publish = await openTask(staff, inst.id, ids('公示'));
    expect((await instance(staff, inst.id)).variables.notifications).toEqual([expect.objectContaining({ to: 'township', message: '村务公开事项已经两委会签' })]);
    expect((await staff.post(`/api/tasks/${publish.id}/complete`, { data: {} })).status).toBe(200);
    await waitFor(async () => (await instance(staff, inst.id)).status === 'completed' || null, 5000, 'the case to complete');

    // The simple designer reads its own diagram back; the modeler opens the same one without a warning.
    await page.goto('/simple/national/village-notice');
    await page.waitForSelector('li.node[data-node="两委会签"] .summary:has-text("会签（多人同时审批）：赵委员、钱委员、孙委员 · 2 人同意即可")');
    // A 条件分支 is refused until its condition names a field; the field is picked by its title.
    await page.locator('.simple-flow > .node-list > li.between').last().locator('button.add').click();
    await page.click('.add-menu button:has-text("条件分支")');
    await page.click('button:has-text("发布新版本")');
    await page.waitForSelector('.error:has-text("“条件分支”的“条件1”还没有选择字段")');
    const branch = page.locator('.simple-flow > .node-list > li.node-branch');
    await branch.locator('button:has-text("编辑")').first().click();
    await branch.locator('select[name=field]').selectOption({ label: '是否属于协商内容（议题审查：是否属于协商内容）' });
    await branch.locator('select[name=value]').selectOption({ label: '否' });
    await branch.locator('button:has-text("编辑")').first().click();
    await page.waitForSelector('li.node-branch .path-head:has-text("是否属于协商内容（议题审查：是否属于协商内容） 等于 否")');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.click('a:has-text("在 BPMN 设计器中打开")');
    await page.waitForSelector(`[data-element-id="${ids('两委会签')}"]`);
    await page.waitForSelector('text=问题 (0)');
    expect(await page.locator('.error').count()).toBe(0);
    await tab.shot('simple-designer-in-modeler');

    // A diagram it cannot express: sent to the modeler, with why.
    await page.goto('/simple/national/consultation');
    await page.waitForSelector('text=此流程无法用简图表示');
    await page.click('a:has-text("在 BPMN 设计器中打开")');
    await page.waitForURL('**/design/national/consultation');
    expect(tab.errors).toEqual([]);
  });
});
