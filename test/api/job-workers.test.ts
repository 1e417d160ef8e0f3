// The job-worker suite (job-workers.suite.ts) on the SQLite store, and the job API on the Zeebe engine.
import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server.js';
import { jobWorkerSuite } from './job-workers.suite.js';

jobWorkerSuite(() => ({}));

const basic = `Basic ${Buffer.from('gis.worker:worker-password-1').toString('base64')}`;

describe('on the Zeebe engine', () => {
  it('answers 501 with a problem document pointing workers at the Zeebe gateway', async () => {
    // No broker is needed to see it: the gateway address is never dialled for this.
    const zeebeMode = await startServer({ env: { ENGINE: 'zeebe', ZEEBE_ADDRESS: '127.0.0.1:9', ZEEBE_EXPORTER_URL: 'http://127.0.0.1:9', ZEEBE_EXPORTER_TOKEN: 'token-never-used-here' } });
    try {
      const res = await fetch(`${zeebeMode.url}/camunda/v2/jobs/activation`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic }, body: '{}' });
      expect(res.status).toBe(501);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await res.json()).detail).toMatch(/Zeebe 网关/);
    } finally {
      await zeebeMode.stop();
    }
  }, 60_000);
});
