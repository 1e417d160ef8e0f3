// Libraries that ship no type declarations (or none for the entry points we use).
declare module 'bpmnlint/config/recommended';
declare module 'bpmnlint/rules/*';
declare module 'bpmn-js-bpmnlint';
declare module 'diagram-js-minimap';
declare module 'bpmn-js-properties-panel';
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
declare module '@bpmn-io/properties-panel';
declare module '@bpmn-io/properties-panel/preact';
declare module 'zeebe-bpmn-moddle/resources/zeebe.json';
declare module 'bpmn-moddle';
declare module 'ajv-i18n/localize/zh';
declare module 'ajv-i18n/localize/en';
declare module '*.css';
declare module 'dmn-js/lib/Modeler';
