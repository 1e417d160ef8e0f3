// External job workers in real headless Chromium: a job out of retries shows as an incident on the
// case page and an official retries it there (the job is taken again); an uncaught error reads in
// Chinese with its technical detail behind a toggle; an admin issues a worker
// token on the admin page, shown once, and a worker takes jobs with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, Client, startServer, type Server } from '../support/server.js';
import { jobDiagram } from '../support/jobs.js';
import { launch, open, signIn } from './browser.js';

const WORKER = { username: 'e2e.worker', password: 'worker-password-e2e' };
const basic = `Basic ${Buffer.from(`${WORKER.username}:${WORKER.password}`).toString('base64')}`;

let server: Server;
let browser: Browser;
let official: Client;

async function jobApi(path: string, body: unknown, authorization: string) {
  const res = await fetch(`${server.url}/camunda/v2${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const activate = (type: string, authorization = basic) => jobApi('/jobs/activation', { type, worker: 'e2e', timeout: 30_000, maxJobsToActivate: 1, requestTimeout: -1 }, authorization);

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
  const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  expect((await admin.post('/api/users', { ...WORKER, displayName: '作业程序', memberships: [{ jurisdiction: 'town-a', roles: ['worker'] }] })).status).toBe(201);
  official = await Client.signIn(server.url, 'town-a.official');
  expect((await official.put('/api/processes/town-a/jobs-e2e', { xml: jobDiagram('jobs-e2e', 'e2e-lookup', 'e2e-sms'), baseVersion: 0 })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('job workers in the designer', () => {
  it('a job out of retries is an incident on the case page; the official retries it there and a worker takes the job again', async () => {
    const started = await official.post('/api/instances', { jurisdiction: 'town-a', processKey: 'jobs-e2e' });
    const id = started.body.id as string;
    const taken = await activate('e2e-lookup');
    const key = taken.body.jobs[0].jobKey;
    expect((await jobApi(`/jobs/${key}/failure`, { retries: 0, errorMessage: 'GIS 服务不可用' }, basic)).status).toBe(204);

    const tab = await open(browser, server.url);
    await signIn(tab, 'town-a.official');
    await tab.page.goto(`/instances/${id}`);
    const alert = tab.page.locator('[role=alert]');
    await alert.waitFor();
    // The task's name, not its element id, and the worker's message; no English where a person looks.
    const text = await alert.innerText();
    expect(text).toMatch(/^办理受阻：地块查询 — 外部服务多次处理失败，已停止重试（GIS 服务不可用）/);
    expect(text).not.toMatch(/job|retries|\(/);
    await tab.shot('job-incident');
    await alert.locator('button:has-text("重试")').click();
    await alert.waitFor({ state: 'detached' });
    const again = await activate('e2e-lookup');
    expect(again.body.jobs.map((j: { jobKey: number; retries: number }) => [j.jobKey, j.retries])).toEqual([[key, 1]]);
    expect(tab.errors).toEqual([]);
  });

  it('an uncaught error reads in Chinese on its element, the technical detail behind a toggle', async () => {
    const id = (await official.post('/api/instances', { jurisdiction: 'town-a', processKey: 'jobs-e2e' })).body.id as string;
    const key = (await activate('e2e-lookup')).body.jobs[0].jobKey;
    expect((await jobApi(`/jobs/${key}/error`, { errorCode: 'NO_SUCH_CODE', errorMessage: '未知' }, basic)).status).toBe(204);
    const tab = await open(browser, server.url);
    await signIn(tab, 'town-a.official');
    await tab.page.goto(`/instances/${id}`);
    const alert = tab.page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.innerText()).not.toMatch(/was thrown|caught/);
    await alert.locator('summary:has-text("技术细节")').click();
    expect(await alert.locator('details code').innerText()).toContain('was thrown but not caught');
    expect(await tab.page.locator('li.stopped').innerText()).toBe('地块查询 · 受阻');
    expect(tab.errors).toEqual([]);
  });

  it('an admin issues a worker token on the admin page, shown once, and a worker takes jobs with it', async () => {
    await official.post('/api/instances', { jurisdiction: 'town-a', processKey: 'jobs-e2e' });
    const tab = await open(browser, server.url);
    await signIn(tab, 'town-a.admin');
    await tab.page.goto('/admin');
    const section = tab.page.locator('section[aria-labelledby=service-tokens]');
    await section.locator('input[name=tokenName]').fill('地块查询服务');
    await section.locator('button:has-text("签发令牌")').click();
    const token = (await section.locator('pre.token').innerText()).trim();
    expect(token).toMatch(/^yishi_/);
    await tab.shot('job-worker-token');
    expect(await section.locator('table').innerText()).toContain('地块查询服务');
    const taken = await activate('e2e-lookup', `Bearer ${token}`);
    expect(taken.status).toBe(200);
    expect(taken.body.jobs).toHaveLength(1);
    // Once closed, the token is nowhere on the page again.
    await section.locator('.notice button').click();
    await tab.page.reload();
    await section.waitFor();
    expect(await tab.page.content()).not.toContain(token);
    await section.locator('button:has-text("吊销")').click();
    await section.locator('td:has-text("已吊销")').waitFor();
    expect((await activate('e2e-lookup', `Bearer ${token}`)).status).toBe(401);
    expect(tab.errors).toEqual([]);
  });
});
