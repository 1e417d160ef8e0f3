// A user task's linked Camunda Form (zeebe:formDefinition formId) reaches the broker as a formKey of
// the same id. Yishi keeps a deployed .form as a form of the jurisdiction under its id, and that is
// what the task page shows on both engines: the broker needs no copy of its own (it would raise an
// incident at the task without one), and the task's job header io.camunda.zeebe:formKey names the
// form as the embedded engine's wait does (formKey, else formId).
const FORM_DEFINITION = /(<(?:[\w-]+:)?formDefinition\b)([^>]*?)(\s*\/?>)/g;
const FORM_ID = /\sformId="([^"]*)"/;
/** Attributes of a formId binding that a formKey does not take. */
const BINDING = /\s(?:formId|bindingType|versionTag)="[^"]*"/g;

export function linkedFormsAsKeys(xml: string): string {
  return xml.replace(FORM_DEFINITION, (tag, open: string, attrs: string, close: string) => {
    const id = FORM_ID.exec(attrs)?.[1];
    return id === undefined ? tag : `${open}${attrs.replace(BINDING, '')} formKey="${id}"${close}`;
  });
}
