// What a user task's formKey names: a Camunda Form embedded in its process ("camunda-forms:bpmn:<id>",
// as Camunda Modeler writes it for zeebe:userTaskForm), or a form of the jurisdiction (ours, or a
// deployed .form file by its id).
const EMBEDDED = 'camunda-forms:bpmn:';

/** The zeebe:userTaskForm id a formKey names, or null when it names a form of the jurisdiction. */
export const embeddedFormId = (formKey: string): string | null => (formKey.startsWith(EMBEDDED) ? formKey.slice(EMBEDDED.length) : null);
