// Adds diagram interchange (shapes and edges) to shipped BPMN files that have none, so they open
// in bpmn-js and Camunda Modeler; files that already carry a layout are left as drawn.
// Run: npm run layout
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import BpmnModdle from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';

const require = createRequire(import.meta.url);
const moddle = new BpmnModdle({ zeebe: require('zeebe-bpmn-moddle/resources/zeebe.json') });

/** Writes each node's incoming/outgoing flow references, which modelers and the layouter read. */
async function withFlowReferences(xml: string): Promise<string> {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const containers = (el: any): any[] => [el, ...(el.flowElements ?? []).flatMap((e: any) => (e.flowElements ? containers(e) : []))];
  for (const container of rootElement.rootElements.filter((e: any) => e.flowElements).flatMap(containers)) {
    for (const node of container.flowElements) if (!node.$instanceOf('bpmn:SequenceFlow')) { node.incoming = []; node.outgoing = []; }
    for (const flow of container.flowElements.filter((e: any) => e.$instanceOf('bpmn:SequenceFlow'))) {
      flow.sourceRef.outgoing.push(flow);
      flow.targetRef.incoming.push(flow);
    }
  }
  return (await moddle.toXML(rootElement, { format: true })).xml;
}

const root = path.resolve(import.meta.dirname, '..', 'processes');
for (const dir of fs.readdirSync(root)) {
  for (const file of fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.bpmn'))) {
    const full = path.join(root, dir, file);
    const xml = fs.readFileSync(full, 'utf8');
    if (xml.includes('bpmndi:BPMNDiagram')) continue;
    fs.writeFileSync(full, await layoutProcess(await withFlowReferences(xml)));
    console.log(`laid out ${path.relative(root, full)}`);
  }
}
