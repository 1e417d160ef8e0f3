// Libraries that ship no type declarations.
declare module 'bpmn-moddle';
declare module 'moddle-context-serializer';
