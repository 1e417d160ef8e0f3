// The designer end to end in real headless Chromium against a started server with the shipped
// content: design and deploy, form editing, a staff member's task on a phone, bundle import, and
// the public results page. Screenshots go to test/e2e/screenshots/ (git-ignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, startInstance } from '../support/walk.js';
import { P1_PASSED } from '../support/p1.js';
import { launch, open, signIn } from './browser.js';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ contentDir: ROOT }), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('designer', () => {
  it('opens every shipped diagram in the bpmn-js modeler with no import warning and no lint problem', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'admin', ADMIN_PASSWORD);
    const shipped = [['national', 'consultation', 'collect'], ['anhui', 'council-meeting', 'session'], ['anhui', 'grid-collection', 'collect-grid'], ['wushen-banner', 'consultation', 'report-higher'],
      ['township-triage', 'triage', 'classify'], ['township-triage', 'ledger-review', 'review']];
    for (const [jurisdiction, key, element] of shipped) {
      await tab.page.goto(`/design/${jurisdiction}/${key}`);
      await tab.page.waitForSelector(`[data-element-id="${element}"]`);
      await tab.page.waitForSelector('text=问题 (0)');
      expect(await tab.page.locator('.error').count(), `${jurisdiction}/${key}`).toBe(0);
    }
    await tab.shot('design-triage');
    expect(tab.errors).toEqual([]);
  });

  it('lets an official rename a task and change a timer in the panel, deploy, and see version 2', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'national.official');
    await tab.page.click('a:has-text("流程设计")');
    await tab.page.click('a:has-text("城乡社区协商")');
    await tab.page.waitForSelector('[data-element-id="collect"]');
    await tab.page.waitForSelector('text=问题 (0)');
    await tab.shot('design-opened');
    // It opens fitted to the width at a readable zoom; the timer further right needs the whole diagram.
    // The minimap, open at first, lies over the diagram's right end: close it. (It draws the diagram
    // again: clicks go to the main canvas.)
    await tab.page.click('button:has-text("查看全图")');
    await tab.page.click('.djs-minimap .toggle');

    await tab.page.click('.djs-container > svg [data-element-id="collect"]');
    await tab.page.click('.bio-properties-panel-group-header:has-text("常规")');
    await tab.page.fill('#bio-properties-panel-name', '收集群众反映的问题并登记台账');
    await tab.page.click('.djs-container > svg [data-element-id="implementation-overdue"]');
    await tab.page.click('.bio-properties-panel-group-header:has-text("定时器")');
    await tab.page.click('#bio-properties-panel-timerEventDefinitionValue'); // the FEEL editor's content element
    await tab.page.keyboard.press('Control+A');
    await tab.page.keyboard.type('"P45D"');
    await tab.page.waitForTimeout(500); // the panel commits after its debounce
    await tab.page.click('button:has-text("发布新版本")');
    await tab.page.waitForSelector('text=已发布版本 第 2 版');
    await tab.shot('design-deployed');

    const official = await Client.signIn(server.url, 'national.official');
    const v2 = (await official.get('/api/processes/national/consultation')).body;
    expect(v2.version).toBe(2);
    expect(v2.xml).toContain('name="收集群众反映的问题并登记台账"');
    expect(v2.xml).toMatch(/<bpmn:timeDuration[^>]*>="P45D"<\/bpmn:timeDuration>/);
    expect(v2.xml).toContain('formKey="issue-intake"'); // the rest of the diagram survived the round trip
    expect(tab.errors).toEqual([]);
  });

  it('lets an official edit a form schema and see the preview change at once', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'national.official');
    await tab.page.goto('/forms/national/issue-intake');
    await tab.page.click('button:has-text("高级（JSON）")');
    const schema = tab.page.locator('textarea[name=schema]');
    await schema.waitFor();
    await tab.page.waitForSelector('.preview #root__title');
    const text = await schema.inputValue();
    await schema.fill(text.replace('"title": "问题登记（台账）"', '"title": "收集群众问题（试用版）"'));
    await tab.page.waitForSelector('.preview :text("收集群众问题（试用版）")');
    await schema.fill(text.replace('"type": "object"', '"type": "objekt"'));
    await tab.page.waitForSelector('.field-error:has-text("结构错误")');
    await tab.shot('form-editor');
    expect(tab.errors).toEqual([]);
  });

  it('lets staff on a 360-px phone fix an invalid form, complete the task, and reach the next one', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    const tab = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(tab, 'national.staff');
    await tab.page.click('a:has-text("待办")');
    await tab.page.click(`a[href^="/tasks/"]:has-text("登记台账")`);
    await tab.page.waitForSelector('form.rjsf');
    await tab.page.click('button[type=submit]:has-text("提交")');
    await tab.page.waitForSelector('text=表单有错误');
    expect(await tab.page.locator('.has-error, .error-detail').count()).toBeGreaterThan(0);
    await tab.shot('task-invalid-360');
    expect(await tab.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await tab.page.fill('#root_reportDate', '2026-11-01');
    await tab.page.fill('#root_description', '小区停车位不足，车辆乱停乱放');
    await tab.page.fill('#root_reporter', '张三');
    await tab.page.getByLabel('民情家访').check();
    await tab.page.getByLabel('热线电话').check(); // changing a choice must take
    await tab.page.click('button[type=submit]:has-text("提交")');
    await tab.page.waitForSelector('text=已提交');
    await tab.page.click('button:has-text("下一个任务")');
    await tab.page.waitForSelector('h1:has-text("议题审查")');
    await tab.shot('task-next-360');
    const view = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(view.active.map((a: any) => a.elementId)).toEqual(['screen']);
    expect(tab.errors).toEqual([]);
  });

  it('shows the 两委 the matter and the suggested class above the classification form (seed 003（三）)', async () => {
    const staff = await Client.signIn(server.url, 'township-triage.staff');
    const inst = await startInstance(staff, 'township-triage', 'triage');
    await completeNext(staff, inst.id, 'register', {
      date: '2026-11-01', matter: '村口消防栓损坏', category: '治安与消防', department: '村委会', reporter: '居民丙', contact: '13800000000', repeated: false,
    });
    const task = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items[0];
    const tab = await open(browser, server.url);
    await signIn(tab, 'township-triage.staff');
    await tab.page.goto(`${server.url}/tasks/${task.id}`);
    await tab.page.waitForSelector('form.rjsf');
    const facts = await tab.page.locator('dl.facts div').allInnerTexts();
    expect(facts.map((f) => f.replace(/\s+/g, ' ').trim())).toEqual(['反映事项 村口消防栓损坏', '反映单位（个人） 居民丙', '事项类别 治安与消防', '系统建议分流 大事']);
    await tab.shot('task-context');
    expect(tab.errors).toEqual([]);
  });

  it('lets an admin import a bundle, and lists every problem of a refused one', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'admin', ADMIN_PASSWORD);
    await tab.page.click('a:has-text("管理")');
    const good = { jurisdiction: { id: 'e2e-town', name: '端到端镇', parent: 'anhui' }, parameters: { passRatio: 0.6 } };
    await tab.page.setInputFiles('input[name=bundle]', { name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await tab.page.waitForSelector('text=导入成功: 端到端镇');
    await tab.page.waitForSelector('.tree :text("e2e-town")');
    const bad = { jurisdiction: { id: 'e2e-bad', name: '错误', parent: 'nowhere' }, parameters: {}, forms: { x: { schema: { type: 'strin' } } } };
    await tab.page.setInputFiles('input[name=bundle]', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await tab.page.waitForSelector('text=导入被拒绝');
    expect(await tab.page.locator('.error li').count()).toBe(2);
    await tab.shot('admin-import');

    // Roles are edited in place: town official becomes staff with the council group as well.
    await tab.page.click('tr:has(td:text-is("anhui.official")) button:has-text("修改角色")');
    await tab.page.fill('input[aria-label="角色 anhui.official"]', 'anhui: official；e2e-town: staff, council');
    await tab.page.click('tr:has(td:text-is("anhui.official")) button:has-text("保存")');
    await tab.page.waitForSelector('tr:has(td:text-is("anhui.official")) :text("e2e-town: staff, council")');
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const user = (await admin.get('/api/users')).body.find((u: any) => u.username === 'anhui.official');
    expect(user.memberships).toEqual([{ jurisdiction: 'anhui', roles: ['official'] }, { jurisdiction: 'e2e-town', roles: ['staff', 'council'] }]);
    expect(tab.errors).toEqual([]);
  });

  it('tells an official who deployed meanwhile instead of overwriting their version', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'anhui.official');
    await tab.page.goto('/design/anhui/council-meeting');
    await tab.page.waitForSelector('[data-element-id="session"]');
    // Someone else deploys a version while the diagram is open here.
    const other = await Client.signIn(server.url, 'national.official');
    const current = (await other.get('/api/processes/anhui/council-meeting')).body;
    expect((await other.put('/api/processes/anhui/council-meeting', { xml: current.xml, baseVersion: current.version })).status).toBe(201);
    await tab.page.click('button:has-text("发布新版本")');
    await tab.page.waitForSelector('.error:has-text("该流程已被他人修改")');
    expect(await tab.page.textContent('.error')).toContain('national.official');
    const after = (await other.get('/api/processes/anhui/council-meeting')).body;
    expect(after.version).toBe(current.version + 1); // the refused deploy stored nothing
    await tab.shot('design-conflict');
  });

  it('shows a finished consultation’s published result on the public page, without sign-in', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    const data: Record<string, Record<string, unknown>> = {
      ...P1_PASSED, draft: { ...P1_PASSED.draft, topic: '更换小区健身器材' },
      publication: { ...P1_PASSED.publication, resultForm: '计划方案', summary: '公益金出资更换健身器材' },
    };
    for (const [elementId, d] of Object.entries(data)) await completeNext(staff, inst.id, elementId, d);

    const tab = await open(browser, server.url, { width: 390, height: 800 });
    await tab.page.goto('/public');
    await tab.page.click('a:has-text("全国")');
    await tab.page.waitForSelector('article.result h2:text-is("更换小区健身器材")');
    expect(await tab.page.textContent('article.result:has(h2:text-is("更换小区健身器材"))')).toContain('公益金出资更换健身器材');
    await tab.page.waitForSelector('article.result h2:text-is("落实情况：更换小区健身器材")');
    await tab.shot('public-results');
    expect(tab.errors).toEqual([]);
  });

  it('renders stored text escaped: a script typed into a form stays text in the instance view', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(staff, 'national', 'consultation');
    const hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    await completeNext(staff, inst.id, 'collect', { reportDate: '2026-11-01', description: hostile, reporter: '<b>粗体</b>', channel: '其他' });
    const tab = await open(browser, server.url);
    await signIn(tab, 'national.official');
    await tab.page.goto(`/instances/${inst.id}`);
    await tab.page.waitForSelector('.summary dd:has-text("onerror")');
    expect(await tab.page.textContent('.summary')).toContain('<img src=x onerror=');
    expect(await tab.page.textContent('pre.vars')).toContain('<img src=x onerror=');
    expect(await tab.page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await tab.page.locator('.summary img, .summary b, pre.vars img, pre.vars b').count()).toBe(0);
    await tab.page.waitForSelector('.diagram .djs-element.done');
    await tab.page.waitForSelector('.diagram .djs-element.active');
    expect(await tab.page.locator('.error').count()).toBe(0);
    await tab.shot('instance-view');
    expect(tab.errors).toEqual([]);
  });
});
