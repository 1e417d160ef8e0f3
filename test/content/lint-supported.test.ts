// The modeler's lint flags what deploy would refuse, with the same Chinese message, from the same list.
import { describe, expect, it } from 'vitest';
import BpmnModdle from 'bpmn-moddle';
import supportedElements from '../../designer/src/bpmn/supportedRule.js';
import { unsupported } from '../../server/bpmn/supported.js';

const { default: Linter } = await import('bpmnlint/lib/linter.js');

async function lint(body: string, executable = true) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="${executable}">${body}</bpmn:process>
</bpmn:definitions>`;
  const { rootElement } = await new BpmnModdle().fromXML(xml);
  const linter = new Linter({
    config: { rules: { 'yishi/supported-elements': 'error' } },
    resolver: { resolveRule: () => supportedElements, resolveConfig: () => ({}) },
  });
  const reports = (await linter.lint(rootElement))['yishi/supported-elements'] ?? [];
  return reports.map((r: { id: string; message: string }) => ({ id: r.id, message: r.message }));
}

describe('modeler lint: supported elements', () => {
  it('flags a refused element type with the deploy refusal', async () => {
    expect(await lint('<bpmn:startEvent id="s"/><bpmn:complexGateway id="complex" name="复杂"/><bpmn:userTask id="u"/>')).toEqual([
      { id: 'complex', message: unsupported('bpmn:ComplexGateway', 'none', false) },
    ]);
    expect(unsupported('bpmn:ComplexGateway', 'none', false)).toMatch(/^不支持复杂网关/);
  });

  it('flags an event definition not allowed where the event sits', async () => {
    const reports = await lint('<bpmn:startEvent id="s"><bpmn:conditionalEventDefinition/></bpmn:startEvent><bpmn:intermediateCatchEvent id="c"><bpmn:compensateEventDefinition/></bpmn:intermediateCatchEvent>');
    expect(reports).toEqual([
      { id: 's', message: expect.stringMatching(/^不支持条件开始事件/) },
      { id: 'c', message: expect.stringMatching(/^不支持补偿中间捕获事件/) },
    ]);
  });

  it('passes a pool that is not executable (it is not deployed, as on Zeebe)', async () => {
    expect(await lint('<bpmn:startEvent id="s"/><bpmn:complexGateway id="complex"/>', false)).toEqual([]);
  });

  it('passes what both engines run', async () => {
    expect(await lint('<bpmn:startEvent id="s"/><bpmn:userTask id="u"/><bpmn:scriptTask id="script"/><bpmn:intermediateThrowEvent id="l"><bpmn:linkEventDefinition name="a"/></bpmn:intermediateThrowEvent><bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="e"/>')).toEqual([]);
    // Signals and compensation (Zeebe 8.5+).
    expect(await lint('<bpmn:startEvent id="s"><bpmn:signalEventDefinition/></bpmn:startEvent><bpmn:intermediateCatchEvent id="c"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent><bpmn:task id="t"/><bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent><bpmn:task id="undo" isForCompensation="true"/><bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent><bpmn:endEvent id="e"><bpmn:signalEventDefinition/></bpmn:endEvent>')).toEqual([]);
  });
});
