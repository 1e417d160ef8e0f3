// A one-task rule set whose form holds photos (the attachment field format), imported under a parent.
const xml = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${key}-defs" targetNamespace="http://yishi.example/test">
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
