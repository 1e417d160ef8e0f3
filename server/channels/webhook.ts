// Group robots of WeCom (企业微信) and DingTalk (钉钉): a markdown message POSTed to the robot's
// webhook URL; both answer {errcode: 0} when they took it. A DingTalk robot with 加签 has a secret:
// the request then carries timestamp and sign (HMAC-SHA256 of "timestamp\nsecret").
import crypto from 'node:crypto';
import type { JsonObject } from '../json.js';
import type { Channel, OutboundMessage } from './index.js';

async function post(url: string, body: JsonObject) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`机器人接口返回 ${res.status} (webhook answered ${res.status}): ${text.slice(0, 200)}`);
  let answer: { errcode?: number; errmsg?: string } = {};
  try {
    answer = JSON.parse(text);
  } catch {
    throw new Error(`机器人接口应答不是 JSON (webhook answer is not JSON): ${text.slice(0, 200)}`);
  }
  if (answer.errcode !== 0) throw new Error(`机器人拒收 (webhook refused): ${answer.errcode} ${answer.errmsg ?? ''}`);
}

function targetUrl(target: JsonObject): URL {
  const url = typeof target.url === 'string' ? new URL(target.url) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new Error('机器人渠道缺少 http(s) 地址 url (webhook channel without url)');
  return url;
}

const markdown = (m: OutboundMessage) => `**${m.title}**\n\n${m.body}`;

export const wecomChannel: Channel = {
  send: (m, target) => post(targetUrl(target).href, { msgtype: 'markdown', markdown: { content: markdown(m) } }),
};

export const dingtalkChannel: Channel = {
  async send(m, target) {
    const url = targetUrl(target);
    if (typeof target.secret === 'string' && target.secret) {
      const timestamp = String(Date.now());
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('sign', crypto.createHmac('sha256', target.secret).update(`${timestamp}\n${target.secret}`).digest('base64'));
    }
    await post(url.href, { msgtype: 'markdown', markdown: { title: m.title, text: markdown(m) } });
  },
};
