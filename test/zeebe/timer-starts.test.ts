// The diagram Zeebe gets: process-level timer start events become none start events (Yishi
// schedules them per jurisdiction); an event sub-process keeps its timer.
import { describe, expect, it } from 'vitest';
import { compile } from '../../server/bpmn/read.js';
import { withoutTimerStarts } from '../../server/engine/zeebe/timer-starts.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://yishi.example">
  <bpmn:process id="quarterly" isExecutable="true">
    <bpmn:startEvent id="every" name="每季度"><bpmn:outgoing>f1</bpmn:outgoing><bpmn:timerEventDefinition id="td"><bpmn:timeCycle>R4/P3M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="every" targetRef="e" />
    <bpmn:endEvent id="e"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
    <bpmn:subProcess id="esp" triggeredByEvent="true">
      <bpmn:startEvent id="late" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;

describe('the diagram deployed to Zeebe', () => {
  it('has its process-level timer start as a none start event with the same id, and nothing else changed', async () => {
    const out = withoutTimerStarts(XML, await compile(XML));
    expect(out).toBe(XML.replace('<bpmn:timerEventDefinition id="td"><bpmn:timeCycle>R4/P3M</bpmn:timeCycle></bpmn:timerEventDefinition>', ''));
    expect(out).toContain('<bpmn:startEvent id="every" name="每季度"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>');
    expect(out).toContain('<bpmn:timeDuration>PT1H</bpmn:timeDuration>');
    expect(withoutTimerStarts(out, await compile(out))).toBe(out);
  });
});
