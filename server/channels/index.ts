// Outbound channels: one port, one adapter per kind of destination. A channel's target is the
// rule set's configuration of it (parameters.channels[n]); send() resolves once the destination
// has accepted the message and throws otherwise (the outbox retries).
import type { JsonObject } from '../json.js';
import { emailChannel, type SmtpSettings } from './email.js';
import { dingtalkChannel, wecomChannel } from './webhook.js';

export interface OutboundMessage {
  /** The delivery's id, the same on every attempt: where the destination can, it drops a repeat by it. */
  id: string;
  title: string;
  body: string;
}

export interface Channel {
  send(message: OutboundMessage, target: JsonObject): Promise<void>;
}

export type ChannelType = 'email' | 'wecom' | 'dingtalk';

export type Channels = Record<ChannelType, Channel>;

export function openChannels(smtp: SmtpSettings | null): Channels {
  return { email: emailChannel(smtp), wecom: wecomChannel, dingtalk: dingtalkChannel };
}
