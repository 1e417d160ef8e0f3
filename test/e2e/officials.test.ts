// The officials' daily tools in headless Chromium: the 台账 page with a filter and the Excel export,
// the statistics page's charts, the quarterly review prefilled from them, and a meeting record
// printed to PDF whose Chinese text is read back with pdftotext (Debian poppler-utils).
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Client, ROOT, startServer, tempDir, type Server } from '../support/server.js';
import { heldMeeting } from '../support/consultation.js';
import { P1_PASSED } from '../support/p1.js';
import { completeNext, openTask, startInstance } from '../support/walk.js';
import { launch, open, signIn } from './browser.js';

const run = promisify(execFile);
let server: Server;
let browser: Browser;
let staff: Client;

async function register(matter: string, category: string) {
  const inst = await startInstance(staff, 'township-triage', 'triage');
  await completeNext(staff, inst.id, 'register', { date: '2026-11-01', matter, category, department: '村委会', reporter: '居民甲', contact: '13800000000', repeated: false });
  return inst;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ contentDir: ROOT }), launch()]);
  staff = await Client.signIn(server.url, 'township-triage.staff');
  await register('东区消防通道被占用', '治安与消防');
  const dance = await register('广场舞场地噪音', '文体活动');
  await completeNext(staff, dance.id, 'classify', { matterClass: '小事', basis: '村规民约（居民公约）' });
  await register('独居老人赡养纠纷', '赡养老人');
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('officials’ tools', () => {
  it('shows the 台账 with the 登记簿 columns, filters it by class, and exports the filtered ledger to Excel', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'township-triage.staff');
    await tab.page.click('nav a:has-text("台账")');
    await tab.page.waitForSelector('table.ledger-table tbody tr');
    expect(await tab.page.locator('table.ledger-table th').allTextContents()).toEqual(expect.arrayContaining(['编号', '日期', '事项', '归口', '反映单位（个人）', '联系方式']));
    expect(await tab.page.locator('table.ledger-table tbody tr').count()).toBe(3);
    await tab.page.fill('input[name=class]', '小事');
    await tab.page.waitForFunction(() => document.querySelectorAll('table.ledger-table tbody tr').length === 1);
    expect(await tab.page.textContent('table.ledger-table tbody')).toContain('广场舞场地噪音');
    await tab.shot('ledger');

    const [download] = await Promise.all([tab.page.waitForEvent('download'), tab.page.click('a:has-text("导出 Excel")')]);
    expect(download.suggestedFilename()).toMatch(/^台账-township-triage.*\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await download.path())!) as any);
    const sheet = wb.worksheets[0];
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe('广场舞场地噪音');

    // The task list shows each task's case and finds it by a word of its title.
    await tab.page.click('nav a:has-text("待办")');
    await tab.page.waitForSelector('.task-list li');
    expect(await tab.page.locator('.task-list li').count()).toBe(3);
    await tab.page.fill('input[type=search]', '噪音');
    await tab.page.waitForFunction(() => document.querySelectorAll('.task-list li').length === 1);
    expect(await tab.page.textContent('.task-list li .case')).toMatch(/^\d{4}-0002 广场舞场地噪音$/);
    expect(tab.errors).toEqual([]);
  });

  it('draws the quarter’s statistics with ECharts, and the quarterly review opens prefilled from them', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'township-triage.staff');
    await tab.page.click('nav a:has-text("统计")');
    await tab.page.waitForSelector('.stats-chart canvas');
    expect(await tab.page.textContent('[data-figure=total]')).toBe('3');
    expect(await tab.page.locator('.stats-chart canvas').count()).toBe(4);
    expect(await tab.page.locator('.stats-chart').evaluateAll((charts) => charts.map((c) => c.getAttribute('aria-label')))).toEqual([
      '按流程：三事分流 3', '按分类：大事 1，小事 1，私事 1', '按类别：文体活动 1，治安与消防 1，赡养老人 1', '按状态：进行中 3',
    ]);
    await tab.shot('stats');

    const review = await startInstance(staff, 'township-triage', 'ledger-review');
    const task = (await staff.get(`/api/tasks?status=open&instanceId=${review.id}`)).body.items[0];
    await tab.page.goto(`/tasks/${task.id}`);
    await tab.page.waitForFunction(() => (document.querySelector('#root_openItems') as HTMLInputElement | null)?.value === '3');
    await tab.shot('ledger-review-prefilled');
    expect(tab.errors).toEqual([]);
  });

  it('prints a meeting record from the instance page: A4 PDF with its Chinese text', async () => {
    const national = await Client.signIn(server.url, 'national.staff');
    const inst = await heldMeeting(national);
    const no = (await national.get(`/api/instances/${inst.id}`)).body.no as string;
    const tab = await open(browser, server.url);
    await signIn(tab, 'national.official');
    await tab.page.goto(`/instances/${inst.id}`);
    await tab.page.click('a:has-text("打印会议记录")');
    await tab.page.waitForSelector('.print-page .doc-title');
    await tab.shot('print-meeting-record');
    await tab.page.emulateMedia({ media: 'print' });
    const file = path.join(tempDir('yishi-pdf-'), 'meeting-record.pdf');
    await tab.page.pdf({ path: file, format: 'A4', preferCSSPageSize: true });
    const { stdout } = await run('pdftotext', ['-layout', file, '-']).catch((err) => {
      throw new Error(`pdftotext (Debian poppler-utils) is needed to read the PDF: ${err.message}`);
    });
    const text = stdout.replace(/[ \t]+/g, ' ');
    for (const expected of ['协商议事会议记录', `全国议记〔${no.slice(0, 4)}〕${Number(no.slice(5))}号`, '小区停车管理', '社区议事厅', '各方充分发表意见，同意划定临时停车区。', '赞成 12 票，反对 1 票，弃权 0 票', '主持人（签字）', '记录人（签字）', '2026年11月10日 9:00']) {
      expect(text).toContain(expected);
    }
    // Only the document is printed: not the navigation, not the print button.
    expect(text).not.toContain('待办');
    expect(text).not.toContain('存为 PDF');
    const pages = (await run('pdfinfo', [file])).stdout;
    expect(pages).toMatch(/Page size:.*\(A4\)/);
    expect(pages).toMatch(/Pages:\s+1\n/);
    expect(tab.errors).toEqual([]);
  });

  it('checks a form’s FEEL rules in the browser before anything is sent (the interpreter loads for forms with rules)', async () => {
    const national = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(national, 'national', 'consultation');
    const steps = Object.keys(P1_PASSED);
    for (const step of steps.slice(0, steps.indexOf('publicity'))) await completeNext(national, inst.id, step, P1_PASSED[step]);
    const task = await openTask(national, inst.id, 'publicity');
    const tab = await open(browser, server.url);
    await signIn(tab, 'national.staff');
    const sent: string[] = [];
    tab.page.on('request', (r) => void (r.method() === 'POST' && sent.push(r.url())));
    await tab.page.goto(`/tasks/${task.id}`);
    await tab.page.fill('#root_publicityStart', '2026-11-18');
    await tab.page.fill('#root_publicityEnd', '2026-11-11');
    await tab.page.click('.task-form button[type=submit]');
    await tab.page.waitForSelector('.task-form :text("公示结束日期不能早于开始日期")');
    expect(sent.filter((url) => url.includes('/complete'))).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('shows on a 360-px phone where the case stands: a small diagram, loaded only when opened, marks the current step', async () => {
    const national = await Client.signIn(server.url, 'national.staff');
    const inst = await startInstance(national, 'national', 'consultation');
    await completeNext(national, inst.id, 'collect', P1_PASSED.collect);
    const task = await openTask(national, inst.id, 'screen');
    const tab = await open(browser, server.url, { width: 360, height: 760 });
    await signIn(tab, 'national.staff');
    const loaded: string[] = [];
    tab.page.on('request', (r) => void loaded.push(new URL(r.url()).pathname));
    await tab.page.goto(`/tasks/${task.id}`);
    await tab.page.waitForSelector('button:has-text("看流程图")');
    expect(loaded.filter((p) => p.includes('CaseDiagramView'))).toEqual([]);
    await tab.page.click('button:has-text("看流程图")');
    await tab.page.waitForSelector('.case-diagram-canvas [data-element-id="screen"].case-current');
    expect(loaded.filter((p) => p.includes('CaseDiagramView')).length).toBeGreaterThan(0);
    expect(await tab.page.locator('.case-diagram-canvas .case-current').count()).toBe(1);
    expect(await tab.page.textContent('.case-diagram-view figcaption')).toBe('当前环节：议题审查：是否属于协商内容');
    expect(await tab.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await tab.shot('case-diagram-360');
    await tab.page.click('button:has-text("收起流程图")');
    expect(await tab.page.locator('.case-diagram-canvas').count()).toBe(0);
    expect(tab.errors).toEqual([]);
  });
});
