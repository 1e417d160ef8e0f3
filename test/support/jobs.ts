// A diagram with tasks for external job workers (Camunda's job API), shared by the engine, API and
// SDK tests: a lookup job (retries 2), an SMS job whose error SMS_FAILED a boundary event catches,
// then a review the lookup's result reaches.
export const JOB_PROCESS = 'job-demo';
export const LOOKUP_TYPE = 'yishi-test-gis-lookup';
export const SMS_TYPE = 'yishi-test-sms';

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

/** The diagram with its own process id and job types (tests that share a server keep their jobs apart). */
export const jobDiagram = (processId: string, lookupType: string, smsType: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN} id="d-${processId}" targetNamespace="t">
  <bpmn:error id="err-sms" name="短信失败" errorCode="SMS_FAILED"/>
  <bpmn:process id="${processId}" name="外部作业示例" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="lookup"/>
    <bpmn:serviceTask id="lookup" name="地块查询">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${lookupType}" retries="2"/>
        <zeebe:taskHeaders><zeebe:header key="layer" value="parcels"/></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="lookup" targetRef="sms"/>
    <bpmn:sendTask id="sms" name="短信通知">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${smsType}"/>
        <zeebe:ioMapping><zeebe:output source="=delivered" target="smsDelivered"/></zeebe:ioMapping>
      </bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:sendTask>
    <bpmn:boundaryEvent id="smsFailed" name="短信失败" attachedToRef="sms">
      <bpmn:outgoing>f5</bpmn:outgoing>
      <bpmn:errorEventDefinition errorRef="err-sms"/>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="sms" targetRef="review"/>
    <bpmn:userTask id="review" name="复核">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="two-committees"/></bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f5" sourceRef="smsFailed" targetRef="call"/>
    <bpmn:userTask id="call" name="电话联系">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="two-committees"/></bpmn:extensionElements>
      <bpmn:incoming>f5</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f6" sourceRef="call" targetRef="end2"/>
    <bpmn:endEvent id="end2"><bpmn:incoming>f6</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

export const JOB_DIAGRAM = jobDiagram(JOB_PROCESS, LOOKUP_TYPE, SMS_TYPE);

/** A process of one job between start and end (the bench's load). */
export const oneJobDiagram = (processId: string, type: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN} id="d-${processId}" targetNamespace="t">
  <bpmn:process id="${processId}" name="外部作业" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job"/>
    <bpmn:serviceTask id="job" name="外部作业">
      <bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
