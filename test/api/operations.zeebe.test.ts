// The approval operations on ENGINE=zeebe (see operations.suite.ts): 退回 through Zeebe's
// ModifyProcessInstance, the rest as on the embedded engine. Its own broker with the Yishi exporter:
// no other adapter consumes these records.
import { afterAll, beforeAll } from 'vitest';
import { startBroker, type Broker } from '../support/broker.js';
import { operationsSuite } from './operations.suite.js';

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker();
}, 240_000);
afterAll(async () => {
  await broker?.stop();
});

operationsSuite(() => broker.serverEnv);
