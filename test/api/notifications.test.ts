// Notifications through the HTTP API on the shipped Wushen rule set with a child whose written reply
// lapses after one second: the lapse (the notify handler, to 监督委员会) and the overdue reply task
// (to the township group) land in the inbox and go out once each through e-mail (a real SMTP server)
// and WeCom/DingTalk robot webhooks (a local receiver), also across a kill -9 between due and sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, tempDir, waitFor, type Server } from '../support/server.js';
import { smtpReceiver, webhookReceiver } from '../support/receivers.js';
import { wushenToImplementation } from '../support/wushen.js';
import { emailChannel } from '../../server/channels/email.js';

const LAPSE = '政府或有关部门未在期限内反馈：草场围栏维修';
const OVERDUE = '任务已逾期：向苏木镇（街道）报告并等待反馈';
const env = (smtpUrl: string) => ({ SMTP_URL: smtpUrl, MAIL_FROM: 'yishi@gacha.example', NOTIFY_POLL_MS: '100', NOTIFY_LEASE_MS: '1500', NOTIFY_RETRY_MS: '200' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function importGacha(server: Server, channels: unknown[]) {
  const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  const bundle = { jurisdiction: { id: 'test-gacha', name: '测试嘎查', parent: 'wushen-banner' }, parameters: { replyDeadline: 'PT1S', channels } };
  const res = await admin.post('/api/rulesets', bundle);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
let server: Server | null = null;

beforeAll(async () => {
  smtp = await smtpReceiver();
  hooks = await webhookReceiver();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await smtp?.close();
  await hooks?.close();
});

describe('notifications', () => {
  it('tells the supervision committee of a lapsed reply and the township of the overdue task, in the inbox and once per channel', { timeout: 120_000 }, async () => {
    server = await startServer({ contentDir: ROOT, env: env(smtp.url) });
    await importGacha(server, [
      { type: 'email', to: 'jiandu@gacha.example', groups: ['supervision'] },
      { type: 'wecom', url: `${hooks.base}/cgi-bin/webhook/send?key=jiandu`, groups: ['supervision'] },
      { type: 'dingtalk', url: `${hooks.base}/robot/send?access_token=xiangzhen`, secret: 'SEC-test', groups: ['township'], kinds: ['overdue'] },
    ]);
    const staff = await Client.signIn(server.url, 'wushen-banner.staff');
    const inst = await wushenToImplementation(staff, 'test-gacha', '上级部门落实');

    const inbox = await waitFor(async () => {
      const items = (await staff.get('/api/notifications?unread=true')).body.items.filter((n: any) => n.instanceId === inst.id);
      return items.some((n: any) => n.title === LAPSE) && items.some((n: any) => n.title === OVERDUE) && items;
    }, 20_000, 'the lapse and the overdue task in the inbox');
    const notice = inbox.find((n: any) => n.title === LAPSE);
    const overdue = inbox.find((n: any) => n.title === OVERDUE);
    expect(notice).toMatchObject({ kind: 'notice', read: false, instanceId: inst.id, at: expect.any(String) });
    expect(overdue).toMatchObject({ kind: 'overdue', read: false, taskId: expect.any(String) });
    expect(overdue.body).toContain('已经逾期');

    // Each receiver got exactly one message, and no more come.
    await waitFor(async () => smtp.accepted.length >= 1 && hooks.received.length >= 2, 15_000, 'deliveries');
    await sleep(1500);
    expect(smtp.accepted.map((m) => m.to)).toEqual(['jiandu@gacha.example']);
    expect(smtp.accepted[0].raw).toContain('Subject: =?UTF-8?');
    expect(smtp.accepted[0].raw).toMatch(/^Message-ID: <[0-9a-f]{32}@gacha\.example>\r?$/m);
    const wecom = hooks.received.filter((r) => r.path.startsWith('/cgi-bin/webhook/send'));
    const dingtalk = hooks.received.filter((r) => r.path.startsWith('/robot/send'));
    expect(wecom).toHaveLength(1);
    expect(wecom[0].body).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining(LAPSE) } });
    expect(dingtalk).toHaveLength(1);
    expect(dingtalk[0].body).toEqual({ msgtype: 'markdown', markdown: { title: OVERDUE, text: expect.stringContaining(OVERDUE) } });
    expect(dingtalk[0].path).toMatch(/&timestamp=\d+&sign=/);

    // Read marks are per user; someone outside the audience cannot touch a notification.
    expect((await staff.post(`/api/notifications/${encodeURIComponent(notice.id)}/read`)).status).toBe(200);
    const unread = (await staff.get('/api/notifications?unread=true')).body.items.map((n: any) => n.id);
    expect(unread).not.toContain(notice.id);
    expect(unread).toContain(overdue.id);
    expect((await staff.get('/api/notifications')).body.items.find((n: any) => n.id === notice.id).read).toBe(true);
    const outsider = await Client.signIn(server.url, 'anhui.staff');
    expect((await outsider.get('/api/notifications')).body.items.filter((n: any) => n.instanceId === inst.id)).toEqual([]);
    expect((await outsider.post(`/api/notifications/${encodeURIComponent(overdue.id)}/read`)).status).toBe(404);
    expect((await new Client(server.url).get('/api/notifications')).status).toBe(401);
    await server.stop();
    server = null;
  });

  it('still delivers exactly one e-mail after a kill -9 between "due" and "sent"', { timeout: 120_000 }, async () => {
    smtp.accepted.length = 0;
    const dataDir = tempDir();
    server = await startServer({ dataDir, contentDir: ROOT, env: env(smtp.url) });
    await importGacha(server, [{ type: 'email', to: 'jiandu@gacha.example', groups: ['supervision'], kinds: ['notice'] }]);
    const staff = await Client.signIn(server.url, 'wushen-banner.staff');
    smtp.setHold(true);
    const before = smtp.started();
    await wushenToImplementation(staff, 'test-gacha', '上级部门落实');
    // The sender has the mail in flight: the SMTP server reads it but does not acknowledge it.
    await waitFor(async () => smtp.started() > before, 20_000, 'the e-mail to be in flight');
    await server.stop('SIGKILL');
    expect(smtp.accepted).toEqual([]);
    smtp.setHold(false);
    server = await startServer({ dataDir, contentDir: ROOT, env: env(smtp.url) });
    await waitFor(async () => smtp.accepted.length >= 1, 20_000, 'the e-mail after the restart');
    await sleep(2000);
    expect(smtp.accepted).toHaveLength(1);
    expect(smtp.accepted[0].raw).toContain('jiandu@gacha.example');
  });

  it('re-sends a delivery as the same e-mail (one Message-ID per delivery), so a copy repeated after a crash between "accepted" and "recorded" is one message to the mail system', async () => {
    const channel = emailChannel({ url: smtp.url, from: 'yishi@gacha.example' });
    const before = smtp.accepted.length;
    const message = { id: 'notice:6f1c2a4e:0>0', title: '测试重发', body: '同一投递的两次发送' };
    await channel.send(message, { type: 'email', to: 'jiandu@gacha.example' });
    await channel.send(message, { type: 'email', to: 'jiandu@gacha.example' });
    await channel.send({ ...message, id: 'notice:6f1c2a4e:0>1' }, { type: 'email', to: 'jiandu@gacha.example' });
    const ids = smtp.accepted.slice(before).map((m) => /^Message-ID: (.*?)\r?$/m.exec(m.raw)?.[1]);
    for (const id of ids) expect(id).toMatch(/^<[0-9a-f]{32}@gacha\.example>$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});
