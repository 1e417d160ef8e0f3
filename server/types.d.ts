// Libraries that ship no type declarations.
declare module 'bpmn-moddle';
declare module 'bpmn-auto-layout';
declare module 'bpmnlint/lib/linter.js';
declare module 'dmn-moddle';
