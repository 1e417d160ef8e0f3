// Low-code administration end to end in headless Chromium: an admin creates a child of 乌审旗 in
// the 管理 page, sets its reply deadline to 5 天, renames a vocabulary term, adds a field (shown
// under a condition) to an inherited form with the form builder, and adds a 三事 category under
// the township triage; a case started in the child shows the 5-day due date, the renamed term and
// the new field. No file of the content directory is written. An official then migrates running
// cases from the version history. Screenshots at 1366 and 360 px go to test/e2e/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, openTask, startInstance } from '../support/walk.js';
import { wushenToImplementation } from '../support/wushen.js';
import { launch, open, SCREENSHOTS, signIn, type Tab } from './browser.js';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ contentDir: ROOT }), launch()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every file of the shipped content with its size and time: the admin's edits must not touch them. */
function contentFiles() {
  const list = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? list(p) : [`${p} ${fs.statSync(p).size} ${fs.statSync(p).mtimeMs}`];
    });
  return [...list(path.join(ROOT, 'processes')), ...list(path.join(ROOT, 'schemas'))].sort();
}

async function createChild(tab: Tab, parent: string, name: string, id: string) {
  await tab.page.selectOption('select[name=parent]', parent);
  await tab.page.fill('input[name=child-name]', name);
  await tab.page.fill('input[name=child-id]', id);
  await tab.page.click('form.new-child button[type=submit]');
  await tab.page.waitForSelector(`#ruleset-title:has-text("${name}")`);
}

describe('low-code administration', () => {
  it('shows in the tree what each jurisdiction holds (processes, forms, open cases) and who administers it', async () => {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const staff = await Client.signIn(server.url, 'anhui.staff');
    await startInstance(staff, 'anhui', 'council-meeting');
    const rules = (await admin.get('/api/jurisdictions/anhui')).body;
    const own = (items: { definedAt: string }[]) => items.filter((x) => x.definedAt === 'anhui').length;
    const users = (await admin.get('/api/users')).body;
    const admins = (users.items ?? users).filter((u: any) => u.memberships.some((m: any) => m.jurisdiction === 'anhui' && m.roles.includes('admin'))).map((u: any) => u.displayName);
    expect(admins.length).toBeGreaterThan(0);
    const tab = await open(browser, server.url, { width: 1366, height: 900 });
    await signIn(tab, 'admin', ADMIN_PASSWORD);
    await tab.page.click('a:has-text("管理")');
    const counts = tab.page.locator('li[data-jurisdiction="anhui"] > .tree-counts');
    await counts.waitFor();
    expect(await counts.innerText()).toBe(`流程 ${own(rules.processes)} · 表单 ${own(rules.forms)} · 未办结 1 · 管理员：${admins.join('、')}`);
    expect(own(rules.processes)).toBeGreaterThan(0);
    expect(tab.errors).toEqual([]);
  });

  it('lists a jurisdiction’s rule versions with their changes and restores an earlier one as a new version, after confirming', { timeout: 120_000 }, async () => {
    const tab = await open(browser, server.url, { width: 1366, height: 900 });
    await signIn(tab, 'admin', ADMIN_PASSWORD);
    await tab.page.click('a:has-text("管理")');
    await createChild(tab, 'wushen-banner', '历史测试嘎查', 'history-e2e');
    const deadline = tab.page.locator('[data-param=replyDeadline]');
    const saveAs = async (days: string, version: number) => {
      await deadline.getByLabel('上级反馈期限', { exact: true }).fill(days);
      await tab.page.click('.ruleset-editor button.primary');
      await tab.page.waitForSelector(`#ruleset-title:has-text("版本 ${version}")`);
    };
    await saveAs('5', 2);
    await saveAs('7', 3);
    const history = tab.page.locator('.ruleset-history');
    await history.locator('li[data-version="3"]').waitFor();
    expect(await history.locator('ol.versions > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-version')))).toEqual(['3', '2', '1']);
    expect(await history.locator('li[data-version="3"] .changes').innerText()).toBe('上级反馈期限：5 天 → 7 天');
    expect(await history.locator('li[data-version="2"] .changes').innerText()).toBe('上级反馈期限：无 → 5 天');
    expect(await history.locator('li[data-version="3"]').innerText()).toContain('当前版本');

    // Declining the confirmation changes nothing.
    tab.page.once('dialog', (d) => void d.dismiss());
    await history.locator('li[data-version="2"] button:has-text("恢复到此版本")').click();
    expect(await tab.page.locator('#ruleset-title').innerText()).toContain('版本 3');

    let asked = '';
    tab.page.once('dialog', (d) => void ((asked = d.message()), d.accept()));
    await history.locator('li[data-version="2"] button:has-text("恢复到此版本")').click();
    await tab.page.waitForSelector('#ruleset-title:has-text("版本 4")');
    expect(asked).toContain('恢复到第 2 版');
    expect(await deadline.locator('input').inputValue()).toBe('5');
    // Back to the first version: the deadline is inherited again.
    tab.page.once('dialog', (d) => void d.accept());
    await tab.page.locator('.ruleset-history li[data-version="1"] button:has-text("恢复到此版本")').click();
    await tab.page.waitForSelector('#ruleset-title:has-text("版本 5")');
    expect(await deadline.locator('.provenance').innerText()).toContain('继承自 乌审旗');
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    expect((await admin.get('/api/jurisdictions/history-e2e')).body).toMatchObject({ version: 5, parameters: { replyDeadline: 'P10D' }, sources: { parameters: { replyDeadline: 'wushen-banner' } } });
    await tab.shot('lowcode-ruleset-history');
    expect(tab.errors).toEqual([]);
  });

  it('sets up a child of 乌审旗 in the browser, and a case started there follows it', { timeout: 300_000 }, async () => {
    const before = contentFiles();
    const tab = await open(browser, server.url, { width: 1366, height: 900 });
    await signIn(tab, 'admin', ADMIN_PASSWORD);
    await tab.page.click('a:has-text("管理")');
    await createChild(tab, 'wushen-banner', '嘎鲁图镇', 'galutu');

    const deadline = tab.page.locator('[data-param=replyDeadline]');
    await deadline.waitFor();
    expect(await deadline.locator('.provenance').innerText()).toContain('继承自 乌审旗');
    expect(await deadline.locator('input').inputValue()).toBe('10');
    await deadline.getByLabel('上级反馈期限', { exact: true }).fill('5');
    expect(await deadline.locator('select').inputValue()).toBe('D');
    await tab.page.getByLabel('乡镇 本地用语').fill('嘎鲁图苏木');
    await tab.page.click('.ruleset-editor button.primary');
    await tab.page.waitForSelector('#ruleset-title:has-text("版本 2")');
    expect(await deadline.locator('.provenance').innerText()).toContain('本辖区设定');
    await tab.page.click('.ruleset-editor summary');
    await tab.page.waitForSelector('.ruleset-editor .preview dd:has-text("5 天")');
    expect(await tab.page.locator('.ruleset-editor .preview').innerText()).toContain('流程“城乡社区协商');
    await tab.shot('lowcode-ruleset-1366');

    // The 三事 class table lives in the township triage rules: a child there gets a new category.
    await createChild(tab, 'township-triage', '某镇', 'triage-e2e');
    const table = tab.page.locator('table[aria-label="“三事”分类表"]');
    await table.getByLabel('添加 事项类别').fill('垃圾分类');
    await table.getByLabel('添加 分类').selectOption('小事');
    await table.locator('button:has-text("添加")').click();
    await tab.page.click('.ruleset-editor button.primary');
    await tab.page.waitForSelector('#ruleset-title:has-text("版本 2")');

    // A field added to the inherited government-reply form with the builder: an override at the child.
    await tab.page.goto('/forms/galutu/higher-reply');
    await tab.page.click('button:has-text("添加字段")');
    const field = tab.page.locator('.form-builder .field').last();
    await field.locator('input').first().fill('牧民代表意见');
    await field.getByLabel('说明', { exact: false }).fill('请写明牧民代表的意见');
    await tab.page.waitForSelector('.preview label:has-text("牧民代表意见")');
    // Shown only when the reply was not adopted: the preview follows the condition.
    await field.getByLabel('仅当 牧民代表意见', { exact: true }).selectOption({ label: '协商结果是否被采纳' });
    await field.getByLabel('为 牧民代表意见', { exact: true }).selectOption({ label: '否' });
    await tab.page.locator('.preview').getByLabel('是', { exact: true }).check();
    await tab.page.waitForSelector('.preview label:has-text("牧民代表意见")', { state: 'detached' });
    await tab.page.locator('.preview').getByLabel('否', { exact: true }).check();
    await tab.page.waitForSelector('.preview label:has-text("牧民代表意见")');
    await tab.page.click('button.primary:has-text("保存")');
    await tab.page.waitForSelector('text=已保存为新版本 v2');
    await tab.shot('lowcode-form-builder-1366');
    expect(tab.errors).toEqual([]);

    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const triage = (await admin.get('/api/jurisdictions/triage-e2e')).body;
    expect(triage.parameters.categoryClass).toMatchObject({ 垃圾分类: '小事', 宅基地: '小事', 衣食住行: '私事' });
    expect(Object.keys(triage.parameters.categoryClass)).toHaveLength(25);
    const galutu = (await admin.get('/api/jurisdictions/galutu')).body;
    expect(galutu).toMatchObject({ version: 2, parameters: { replyDeadline: 'P5D' }, vocabulary: { 乡镇: '嘎鲁图苏木' } });
    expect(galutu.forms.find((f: any) => f.formKey === 'higher-reply')).toMatchObject({ definedAt: 'galutu' });
    const form = (await admin.get('/api/forms/galutu/higher-reply')).body;
    const shownWhen = form.schema.allOf.find((e: any) => e.if?.properties?.adopted?.const === false && e.then?.properties);
    expect(Object.values(shownWhen.then.properties)).toEqual([expect.objectContaining({ title: '牧民代表意见', description: '请写明牧民代表的意见' })]);

    // A case started in the child: the reply is due in 5 days, the task speaks the child's term, its form has the new field.
    const staff = await Client.signIn(server.url, 'national.staff');
    const inst = await wushenToImplementation(staff, 'galutu', '上级部门落实');
    const task = await openTask(staff, inst.id, 'report-higher');
    expect((Date.parse(task.due) - Date.now()) / 86_400_000).toBeCloseTo(5, 1);
    for (const width of [1366, 360]) {
      const phone = await open(browser, server.url, { width, height: 900 });
      await signIn(phone, 'national.staff');
      await phone.page.goto(`/tasks/${task.id}`);
      await phone.page.waitForSelector('form.rjsf');
      expect(await phone.page.locator('form.rjsf').innerText()).toContain('牧民代表意见');
      await phone.page.waitForSelector('h1:has-text("向嘎鲁图苏木（街道）报告并等待反馈")');
      const due = await phone.page.evaluate((iso) => new Date(iso).toLocaleString('zh-CN', { dateStyle: 'short', timeStyle: 'short' }), task.due);
      expect(await phone.page.locator('body').innerText()).toContain(due);
      await phone.shot(`lowcode-task-${width}`);
      if (width === 360) expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(phone.errors).toEqual([]);
    }
    const small = await open(browser, server.url, { width: 360, height: 740 });
    await signIn(small, 'admin', ADMIN_PASSWORD);
    await small.page.click('a:has-text("管理")');
    await small.page.click('button[aria-label="编辑规则 嘎鲁图镇"]');
    await small.page.waitForSelector('[data-param=replyDeadline]');
    await small.page.locator('.ruleset-editor').screenshot({ path: path.join(SCREENSHOTS, 'lowcode-ruleset-360.png') });
    const overflowing = await small.page.evaluate(() =>
      [...document.querySelectorAll('.ruleset-editor *')].filter((e) => e.getBoundingClientRect().right > 361).map((e) => `${e.tagName}.${e.className}`).slice(0, 5),
    );
    expect(overflowing).toEqual([]);
    expect(contentFiles()).toEqual(before);
  });

  it('migrates running cases to a new version from the version history (dry run, then migrate after a confirmation)', { timeout: 120_000 }, async () => {
    const official = await Client.signIn(server.url, 'national.official');
    const staff = await Client.signIn(server.url, 'national.staff');
    const cases = [await startInstance(staff, 'national', 'consultation'), await startInstance(staff, 'national', 'consultation')];
    const v1 = (await official.get('/api/processes/national/consultation')).body;
    const renamed = v1.xml.replace('name="收集问题并登记台账"', 'name="收集群众问题并登记台账"');
    expect(renamed).not.toBe(v1.xml);
    expect((await official.put('/api/processes/national/consultation', { xml: renamed, baseVersion: v1.version })).status).toBe(201);

    const tab = await open(browser, server.url, { width: 1366, height: 900 });
    await signIn(tab, 'national.official');
    await tab.page.goto('/design/national/consultation');
    const panel = tab.page.locator('section.migrate');
    await panel.waitFor();
    await panel.getByLabel('从版本', { exact: true }).selectOption(String(v1.version));
    await panel.locator('button:has-text("试迁移")').click();
    // Every running case of version 1 in 全国 and below (the first test's case too), none refused.
    await panel.locator('[role=status]:has-text("不能迁移：0")').waitFor();
    expect(await panel.locator('[role=status]').innerText()).toMatch(/可迁移：[2-9]/);
    expect((await staff.get(`/api/instances/${cases[0].id}`)).body.version).toBe(v1.version);
    tab.page.once('dialog', (d) => void d.accept());
    await panel.locator('button:has-text("迁移"):not(:has-text("试"))').click();
    await panel.locator('[role=status]:has-text("已迁移")').waitFor();
    expect(await panel.locator('[role=status]').innerText()).toMatch(/已迁移：[2-9] · 不能迁移：0/);
    await panel.screenshot({ path: path.join(SCREENSHOTS, 'lowcode-migrate-1366.png') });
    for (const c of cases) expect((await staff.get(`/api/instances/${c.id}`)).body.version).toBe(v1.version + 1);
    // A migrated case goes on: its open task completes under version 2 and the next one opens.
    await completeNext(staff, cases[0].id, 'collect', { reportDate: '2026-11-01', description: '路灯不亮', reporter: '张三', channel: '民情家访' });
    expect((await staff.get(`/api/instances/${cases[0].id}`)).body).toMatchObject({ version: v1.version + 1, active: [{ elementId: 'screen' }] });
    const audit = await official.all(`/api/audit?instanceId=${cases[0].id}&limit=200`);
    expect(audit.find((a: any) => a.action === 'instance.migrate')).toMatchObject({ actor: 'national.official', detail: { fromVersion: v1.version, toVersion: v1.version + 1 } });
    expect(tab.errors).toEqual([]);
  });
});
