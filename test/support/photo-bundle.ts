// A one-task rule set whose form holds photos (the attachment field format), imported under a parent.
const xml = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${key}-defs" targetNamespace="http://yishi.example/test">
  <bpmn:process id="${key}" name="现场核查" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="attach" />
    <bpmn:userTask id="attach" name="上传现场照片">
      <bpmn:extensionElements>
        <zeebe:formDefinition formKey="photo-form" />
        <zeebe:assignmentDefinition candidateGroups="staff" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="attach" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d">
    <bpmndi:BPMNPlane id="p" bpmnElement="${key}">
      <bpmndi:BPMNShape id="s-start" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="s-attach" bpmnElement="attach"><dc:Bounds x="190" y="78" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="s-end" bpmnElement="end"><dc:Bounds x="350" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="e-f1" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="190" y="118" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="e-f2" bpmnElement="f2"><di:waypoint x="290" y="118" /><di:waypoint x="350" y="118" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

export const photoForm = {
  schema: {
    type: 'object', title: '现场核查记录', required: ['photos'],
    properties: {
      photos: { type: 'array', title: '现场照片', minItems: 1, items: { type: 'string', format: 'attachment' } },
      note: { type: 'string', title: '说明' },
    },
  },
  uiSchema: {},
};

export const photoBundle = (id: string, parent: string, name = '核查测试村') => ({
  jurisdiction: { id, name, parent },
  parameters: {},
  vocabulary: {},
  forms: { 'photo-form': photoForm },
  processes: [{ key: 'site-check', xml: xml('site-check') }],
});
