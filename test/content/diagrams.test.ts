// Every shipped diagram: valid against bpmn-moddle + zeebe-bpmn-moddle with no unknown element or
// attribute (so Camunda Modeler opens it unchanged), laid out for display, and clean under
// bpmnlint's recommended rules.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import BpmnModdle from 'bpmn-moddle';
import { ROOT } from '../support/server.js';

const require = createRequire(import.meta.url);
const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json');
const { default: Linter } = await import('bpmnlint/lib/linter.js');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const diagrams = fs.readdirSync(path.join(ROOT, 'processes')).flatMap((dir) =>
  fs.readdirSync(path.join(ROOT, 'processes', dir)).filter((f) => f.endsWith('.bpmn')).map((f) => `${dir}/${f}`));

describe('shipped diagrams', () => {
  it('are found in every shipped jurisdiction', () => {
    expect(diagrams).toEqual(expect.arrayContaining(['national/consultation.bpmn', 'anhui/council-meeting.bpmn', 'anhui/grid-collection.bpmn', 'township-triage/triage.bpmn', 'township-triage/ledger-review.bpmn']));
  });

  for (const file of diagrams) {
    it(`${file} is valid Zeebe BPMN with a layout and passes bpmnlint recommended`, async () => {
      const xml = fs.readFileSync(path.join(ROOT, 'processes', file), 'utf8');
      const moddle = new BpmnModdle({ zeebe });
      const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
      expect(warnings.map((w: any) => w.message)).toEqual([]);
      const flowNodes = rootElement.rootElements.flatMap((e: any) => e.flowElements ?? []).filter((e: any) => !e.$instanceOf('bpmn:SequenceFlow'));
      const shapes = new Set(rootElement.diagrams[0]?.plane.planeElement.map((d: any) => d.bpmnElement?.id));
      expect(flowNodes.filter((n: any) => !shapes.has(n.id)).map((n: any) => n.id)).toEqual([]);
      const linter = new Linter({ config: { extends: 'bpmnlint:recommended' }, resolver: new NodeResolver() });
      const reports = await linter.lint(rootElement);
      const problems = Object.entries(reports).flatMap(([rule, rs]: [string, any]) => rs.map((r: any) => `${rule} ${r.id}: ${r.message}`));
      expect(problems).toEqual([]);
    });
  }
});
