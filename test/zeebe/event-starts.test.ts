// The diagram Zeebe gets: process-level timer, message and signal start events become none start events
// (Yishi starts every instance itself); an event sub-process keeps its timer.
import { describe, expect, it } from 'vitest';
import { compile } from '../../server/bpmn/read.js';
import { withoutEventStarts } from '../../server/engine/zeebe/event-starts.js';

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
  <bpmn:message id="m" name="报名" />
  <bpmn:process id="onMessage" isExecutable="true">
    <bpmn:startEvent id="asked"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
  </bpmn:process>
  <bpmn:signal id="sg" name="开会" />
  <bpmn:process id="onSignal" isExecutable="true">
    <bpmn:startEvent id="called"><bpmn:signalEventDefinition id="sd" signalRef="sg" /></bpmn:startEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe('the diagram deployed to Zeebe', () => {
  it('has its process-level timer, message and signal starts as none start events with the same id, and nothing else changed', async () => {
    const out = withoutEventStarts(XML, await compile(XML));
    expect(out).toBe(XML.replace('<bpmn:timerEventDefinition id="td"><bpmn:timeCycle>R4/P3M</bpmn:timeCycle></bpmn:timerEventDefinition>', '').replace('<bpmn:messageEventDefinition messageRef="m" />', '').replace('<bpmn:signalEventDefinition id="sd" signalRef="sg" />', ''));
    expect(out).toContain('<bpmn:startEvent id="every" name="每季度"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>');
    expect(out).toContain('<bpmn:timeDuration>PT1H</bpmn:timeDuration>');
    expect(withoutEventStarts(out, await compile(out))).toBe(out);
  });
});
