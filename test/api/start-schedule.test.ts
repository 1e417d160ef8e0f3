// GET /api/processes/:jurisdiction/:key/schedule: when a process's timer start next starts a case
// in the jurisdiction, as the modeler shows it (下次定时发起); members only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startServer, waitFor, type Server } from '../support/server.js';

let server: Server;
let official: Client;

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"';
const diagram = (id: string, start: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-${id}" targetNamespace="t"><bpmn:process id="${id}" name="季度例会" isExecutable="true">` +
  `${start}<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>`;

async function deploy(key: string, xml: string) {
  const res = await official.put(`/api/processes/town-a/${key}`, { xml, baseVersion: 0 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

beforeAll(async () => {
  server = await startServer();
  official = await Client.signIn(server.url, 'town-a.official');
});
afterAll(async () => {
  await server?.stop();
});

describe('the next timed start of a process', () => {
  it('is a quarter ahead for a quarterly timer start, none for a process without one, and only for members', async () => {
    await deploy('quarterly', diagram('quarterly', '<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P3M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>'));
    await deploy('by-hand', diagram('by-hand', '<bpmn:startEvent id="s"/>'));
    const schedule = await waitFor(async () => {
      const body = (await official.get('/api/processes/town-a/quarterly/schedule')).body;
      return body.nextStart && body;
    }, 10_000, 'the timer start scheduled');
    expect(schedule.every).toBe('P3M');
    const months = (Date.parse(schedule.nextStart) - Date.now()) / (30.4 * 86_400_000);
    expect(months).toBeGreaterThan(2.8);
    expect(months).toBeLessThan(3.2);
    expect((await official.get('/api/processes/town-a/by-hand/schedule')).body).toEqual({ nextStart: null, every: null });
    expect((await official.get('/api/processes/town-a/nowhere/schedule')).status).toBe(404);
    const outsider = await Client.signIn(server.url, 'town-b.staff');
    expect((await outsider.get('/api/processes/town-a/quarterly/schedule')).status).toBe(403);
  });
});
