// An official creates a decision table in the DMN editor (dmn-js, Chinese labels), fills in a rule,
// deploys it; a business rule task calling it then classifies a case with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Client, ROOT, startServer, type Server } from '../support/server.js';
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

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const classify = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-classify" targetNamespace="t"><bpmn:process id="classify" name="分类" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide"/>
  <bpmn:businessRuleTask id="decide" name="按决策表分类"><bpmn:extensionElements><zeebe:calledDecision decisionId="homestead_class" resultVariable="matterClass"/></bpmn:extensionElements>
    <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:businessRuleTask>
  <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end"/>
  <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
</bpmn:process></bpmn:definitions>`;

describe('决策表 in the designer', () => {
  it('creates a decision table, edits a rule, deploys it, and a business rule task uses it', async () => {
    const tab = await open(browser, server.url);
    await signIn(tab, 'township-triage.official');
    await tab.page.click('a:has-text("流程设计")');
    await tab.page.waitForSelector('h2:has-text("决策表")');
    await tab.page.getByLabel('名称', { exact: true }).fill('宅基地分类');
    await tab.page.getByLabel('文件编号').fill('homestead-class');
    await tab.page.click('button:has-text("新建决策表")');
    await tab.page.waitForSelector('.tjs-table');
    expect(await tab.page.locator('.hit-policy').innerText()).toContain('命中策略');
    await tab.page.click('td.input-cell');
    await tab.page.keyboard.type('"宅基地"');
    await tab.page.click('td.output-cell');
    await tab.page.keyboard.press('Control+A');
    await tab.page.keyboard.type('"小事"');
    await tab.page.click('.dmn-page .toolbar strong');
    await tab.shot('decisions-editor');
    await tab.page.click('button:has-text("发布新版本")');
    await tab.page.waitForSelector('text=已发布版本 v1');
    expect(tab.errors).toEqual([]);

    const official = await Client.signIn(server.url, 'township-triage.official');
    const doc = (await official.get('/api/decisions/township-triage/homestead-class')).body;
    expect(doc).toMatchObject({ name: '宅基地分类', version: 1, decisions: [{ id: 'homestead_class', name: '宅基地分类' }] });
    expect((await official.put('/api/processes/township-triage/classify', { xml: classify, baseVersion: 0 })).status).toBe(201);
    const started = await official.post('/api/instances', { jurisdiction: 'township-triage', processKey: 'classify', variables: { category: '宅基地' } });
    expect((await official.get(`/api/instances/${started.body.id}`)).body).toMatchObject({ status: 'completed', variables: { matterClass: '小事' } });
  });
});
