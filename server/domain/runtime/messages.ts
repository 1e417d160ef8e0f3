// Publishing a message: correlated at once to the instance that waits for it, else buffered
// until its time to live runs out (or handed to a self-driven engine, which buffers itself).
import crypto from 'node:crypto';
import { badRequest, forbidden } from '../../errors.js';
import type { Engine } from '../../engine/index.js';
import { isPlainObject } from '../../json.js';
import type { JsonObject, Store } from '../../store/index.js';
import type { Access, SessionUser } from '../access.js';
import { ttlMs } from './durations.js';
import { STARTERS } from './instances.js';
import { findInstance } from './records.js';
import type { Steps } from './steps.js';

/** What became of a message: handed to the instance waiting for it, or kept for one to come. */
export type Publication =
  | { kind: 'correlated'; instanceId: string; elementId: string }
  | { kind: 'buffered'; messageId: string; buffered: boolean; expiresAt: string };

export class Messages {
  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly steps: Steps,
    private readonly access: Access,
  ) {}

  async publish(user: SessionUser, body: JsonObject): Promise<Publication> {
    const { name, correlationKey, variables = {}, ttl } = body;
    if (typeof name !== 'string' || !name) throw badRequest('缺少消息名 name', [{ path: '/name', message: 'required' }]);
    if (typeof correlationKey !== 'string') throw badRequest('缺少 correlationKey', [{ path: '/correlationKey', message: 'must be a string' }]);
    // Control characters mean nothing in a key, and keep messages apart from signal waits (SIGNAL_KEY).
    if (/[\u0000-\u001f]/.test(correlationKey)) throw badRequest('correlationKey 不能含控制字符', [{ path: '/correlationKey', message: 'must not contain control characters' }]);
    if (!isPlainObject(variables)) throw badRequest('variables 必须是对象', [{ path: '/variables', message: 'must be an object' }]);
    const ttlValue = ttlMs(ttl);
    // Only people who may start cases publish messages, whether one waits for it yet or not.
    if (!this.access.visible(user, STARTERS).length) throw forbidden('需要办理人员角色 (staff, official or admin only)');
    if (this.engine.selfDriven && this.engine.publishMessage) {
      const { messageId } = await this.engine.publishMessage({ name, correlationKey, variables, ttlMs: ttlValue });
      return { kind: 'buffered', messageId, buffered: true, expiresAt: new Date(Date.now() + ttlValue).toISOString() };
    }
    const sub = await this.store.messages.findSubscription(name, correlationKey);
    if (sub) {
      const inst = await findInstance(this.store, sub.instanceId);
      this.access.require(user, inst.jurisdiction, STARTERS);
      await this.steps.execute(sub.instanceId, { type: 'correlate', ref: sub.ref, variables }, user.username, { action: 'message.correlate' });
      return { kind: 'correlated', instanceId: sub.instanceId, elementId: sub.elementId };
    }
    const id = crypto.randomUUID();
    if (ttlValue > 0) {
      await this.store.messages.buffer({ id, name, correlationKey, variables, expiresAt: new Date(Date.now() + ttlValue).toISOString() });
    }
    return { kind: 'buffered', messageId: id, buffered: ttlValue > 0, expiresAt: new Date(Date.now() + ttlValue).toISOString() };
  }
}
