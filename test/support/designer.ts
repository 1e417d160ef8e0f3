// Vitest global setup: the browser tests run against the built designer, so build it when stale.
import { buildDesigner } from '../../scripts/build-designer.js';

export default async function setup() {
  await buildDesigner();
}
