// The persisted state of a shipped P1 instance: versioned, small at every wait, and a JSON round
// trip between commands (as through the store) changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedEngine } from '../../server/engine/embedded/index.js';
import { FORMAT } from '../../server/engine/embedded/state.js';
import { internalHandlers } from '../../server/domain/service-tasks.js';
import type { Step } from '../../server/engine/index.js';
import { P1_PASSED } from '../support/p1.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const xml = fs.readFileSync(path.join(ROOT, 'processes/national/consultation.bpmn'), 'utf8');
const params = JSON.parse(fs.readFileSync(path.join(ROOT, 'processes/national/jurisdiction.json'), 'utf8')).parameters;

describe('embedded engine state', () => {
  // The publish handler stamps the time: both runs of a command must see the same clock.
  beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-22T08:00:00Z') }));
  afterEach(() => void vi.useRealTimers());

  it('stays under 4 KB at every wait of the shipped P1 and survives a JSON round trip', async () => {
    const engine = new EmbeddedEngine({ handlers: internalHandlers });
    const ctx = { instanceId: 'p1', definition: { id: 'national/consultation/test', xml }, params, state: null as unknown };
    let step: Step = await engine.run(ctx, { type: 'start', variables: {} });
    const sizes: number[] = [];
    for (const [elementId, data] of Object.entries(P1_PASSED)) {
      expect(step.status).toBe('active');
      expect((step.state as { format: string }).format).toBe(FORMAT);
      const saved = JSON.stringify(step.state);
      sizes.push(Buffer.byteLength(saved));
      const wait = step.waits.find((w) => w.elementId === elementId)!;
      const command = { type: 'completeTask' as const, ref: wait.ref, variables: data };
      const fromJson = await engine.run({ ...ctx, state: JSON.parse(saved) }, command);
      const fromObject = await engine.run({ ...ctx, state: step.state }, command);
      expect(JSON.stringify(fromJson.state)).toBe(JSON.stringify(fromObject.state));
      step = fromJson;
    }
    expect(step.status).toBe('completed');
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
  });
});
