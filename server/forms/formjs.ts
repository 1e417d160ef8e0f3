// Camunda Forms (bpmn.io form-js JSON, as Camunda Modeler saves .form files and zeebe:userTaskForm
// bodies) → our form document: a JSON Schema that validates on the server (ajv) and renders in the
// task page's rjsf form, and its uiSchema. Layout components (spacer, separator, buttons) have no
// data; text components become descriptions; a component we cannot render becomes a text field and
// a warning, so the task can still be done.
import type { JsonObject } from '../json.js';

export interface Converted {
  schema: JsonObject;
  uiSchema: JsonObject;
  /** What could not be carried over as it was, in Chinese, naming the component. */
  warnings: string[];
}

type Component = JsonObject & { type?: string; key?: string; label?: string; components?: Component[] };

/** Components that carry no data and need no field. */
const LAYOUT = new Set(['spacer', 'separator', 'button']);
/** Display-only components: their text or source has no field either. */
const DISPLAY = new Set(['text', 'html', 'image', 'iframe', 'documentPreview']);

const NAMES: Record<string, string> = {
  textfield: '文本框', textarea: '多行文本', number: '数字', checkbox: '复选框', checklist: '多选列表', radio: '单选',
  select: '下拉选择', datetime: '日期时间', taglist: '标签列表', group: '分组', dynamiclist: '动态列表', table: '表格',
  expression: '表达式', filepicker: '文件上传', html: 'HTML', image: '图片', iframe: '内嵌网页',
};

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A property holder: one object level of the schema with its uiSchema and required list. */
interface Level {
  properties: JsonObject;
  ui: JsonObject;
  required: string[];
}

/** The level a dotted key ("address.street") lives in, creating the objects on the way, and its last name. */
function place(root: Level, key: string): { level: Level; name: string } {
  const parts = key.split('.');
  let level = root;
  for (const part of parts.slice(0, -1)) {
    const existing = level.properties[part] as JsonObject | undefined;
    const object = existing?.type === 'object' ? existing : ((level.properties[part] = { type: 'object', properties: {} }) as JsonObject);
    const ui = (level.ui[part] ??= {}) as JsonObject;
    level = { properties: object.properties as JsonObject, ui, required: ((object.required as string[] | undefined) ??= []) };
  }
  return { level, name: parts[parts.length - 1]! };
}

/** Static options as JSON Schema alternatives (rjsf shows each title); null when they come from a variable. */
function options(c: Component): JsonObject[] | null {
  if (!Array.isArray(c.values)) return null;
  return (c.values as JsonObject[]).map((v) => ({ const: v.value ?? null, title: String(v.label ?? v.value ?? '') }));
}

/** The type the options share (rjsf draws a choice of typed constants as a select, radios or checkboxes). */
function choice(opts: JsonObject[], key: 'oneOf' | 'anyOf'): JsonObject {
  const types = new Set(opts.map((o) => (typeof o.const === 'number' ? 'number' : typeof o.const === 'boolean' ? 'boolean' : 'string')));
  return { ...(types.size === 1 && { type: [...types][0]! }), [key]: opts };
}

function describe(field: JsonObject, c: Component) {
  const title = str(c.label) ?? (c.subtype === 'time' ? str(c.timeLabel) : str(c.dateLabel)) ?? c.key;
  if (title) field.title = title;
  if (str(c.description)) field.description = c.description;
  if (c.defaultValue !== undefined && c.defaultValue !== '') field.default = c.defaultValue;
}

/** The field for a data component, with its uiSchema; warnings for what does not carry over. */
function field(c: Component, warn: (message: string) => void): { schema: JsonObject; ui: JsonObject; required: boolean } {
  const v = (c.validate ?? {}) as JsonObject;
  const required = v.required === true;
  const schema: JsonObject = {};
  const ui: JsonObject = {};
  const opts = options(c);
  const fromVariable = () => warn(`「${c.label ?? c.key}」的选项来自变量或表达式，按文本填写 (dynamic options become free text)`);
  switch (c.type) {
    case 'textfield':
    case 'textarea':
      schema.type = 'string';
      if (num(v.minLength) !== undefined) schema.minLength = v.minLength;
      if (num(v.maxLength) !== undefined) schema.maxLength = v.maxLength;
      if (str(v.pattern)) schema.pattern = v.pattern;
      if (v.validationType === 'email') schema.format = 'email';
      if (v.validationType === 'phone') schema.pattern = '^\\+?[0-9 ()-]{5,20}$';
      if (c.type === 'textarea') ui['ui:widget'] = 'textarea';
      if (required && schema.minLength === undefined) schema.minLength = 1;
      break;
    case 'number':
      schema.type = c.decimalDigits === 0 ? 'integer' : 'number';
      if (num(v.min) !== undefined) schema.minimum = v.min;
      if (num(v.max) !== undefined) schema.maximum = v.max;
      break;
    case 'checkbox':
      schema.type = 'boolean';
      // A required checkbox must be ticked (form-js: a value must be given, and false is none).
      if (required) schema.const = true;
      break;
    case 'radio':
    case 'select':
      if (opts) Object.assign(schema, choice(opts, 'oneOf'));
      else {
        schema.type = 'string';
        fromVariable();
      }
      if (c.type === 'radio' && opts) ui['ui:widget'] = 'radio';
      break;
    case 'checklist':
    case 'taglist':
      schema.type = 'array';
      schema.uniqueItems = true;
      schema.items = opts ? choice(opts, 'anyOf') : { type: 'string' };
      if (!opts) fromVariable();
      if (c.type === 'checklist' && opts) ui['ui:widget'] = 'checkboxes';
      if (required) schema.minItems = 1;
      break;
    case 'datetime':
      schema.type = 'string';
      if (c.subtype === 'time') {
        schema.pattern = '^\\d{2}:\\d{2}(:\\d{2})?';
        ui['ui:widget'] = 'time';
      } else if (c.subtype === 'datetime') {
        schema.format = 'date-time';
      } else {
        schema.format = 'date';
      }
      break;
    default:
      schema.type = 'string';
      ui['ui:widget'] = 'textarea';
      schema.description = `原表单组件「${NAMES[c.type ?? ''] ?? c.type}」暂不支持，请以文字填写`;
      warn(`组件「${c.label ?? c.key}」的类型 ${c.type} 不受支持，改为文本字段 (unsupported form-js component → text field)`);
  }
  describe(schema, c);
  if (c.readonly === true) ui['ui:readonly'] = true;
  if (c.disabled === true) ui['ui:disabled'] = true;
  if (str(c.conditional && (c.conditional as JsonObject).hide)) warn(`「${c.label ?? c.key}」的显示条件未转换，始终显示 (conditional hide is not supported)`);
  return { schema, ui, required };
}

function walk(components: Component[], root: Level, prefix: string, descriptions: string[], warn: (message: string) => void) {
  for (const c of components) {
    const type = c.type ?? '';
    if (LAYOUT.has(type)) continue;
    if (type === 'group') {
      // A group nests its fields under its path when it has one; without, it only draws a frame.
      walk(c.components ?? [], root, str(c.path) ? `${prefix}${c.path}.` : prefix, descriptions, warn);
      continue;
    }
    if (DISPLAY.has(type)) {
      // Markdown text reads as plain text once its heading marks go; anything else (HTML, images, FEEL) is not shown.
      const text = type === 'text' ? str(c.text) : undefined;
      if (text && !text.startsWith('=')) descriptions.push(text.replace(/^#+\s*/gm, '').trim());
      else warn(`显示组件「${NAMES[type] ?? type}」未转换 (display-only component dropped)`);
      continue;
    }
    const key = str(c.key) ?? (type === 'dynamiclist' ? str(c.path) : undefined);
    if (!key) {
      warn(`组件「${c.label ?? type}」没有绑定变量，已略过 (component without key dropped)`);
      continue;
    }
    const { level, name } = place(root, `${prefix}${key}`);
    const made = field(c, warn);
    level.properties[name] = made.schema;
    if (Object.keys(made.ui).length) level.ui[name] = made.ui;
    if (made.required) level.required.push(name);
  }
}

/** Drops empty `required` lists (JSON Schema wants at least one name) and empty uiSchema entries. */
function tidy(schema: JsonObject, ui: JsonObject) {
  if (Array.isArray(schema.required) && !schema.required.length) delete schema.required;
  for (const [name, sub] of Object.entries((schema.properties ?? {}) as JsonObject)) {
    if ((sub as JsonObject).type !== 'object') continue;
    tidy(sub as JsonObject, (ui[name] ?? {}) as JsonObject);
    if (ui[name] && !Object.keys(ui[name] as JsonObject).length) delete ui[name];
  }
}

/**
 * A form document given as a Camunda Form ({formJs}, a deployed .form file) with its schema and
 * uiSchema made from it; the form-js JSON stays in the document, so it round-trips. Other documents
 * are returned as they are.
 */
export function withFormJs(doc: JsonObject): { doc: JsonObject; warnings: string[] } {
  if (doc.formJs === undefined) return { doc, warnings: [] };
  const { schema, uiSchema, warnings } = convertFormJs(doc.formJs);
  return { doc: { ...doc, schema, uiSchema }, warnings };
}

/** Converts a form-js document (object or JSON text). Throws on text that is not a form-js JSON object. */
export function convertFormJs(input: unknown): Converted {
  const form = (typeof input === 'string' ? JSON.parse(input) : input) as JsonObject;
  if (!form || typeof form !== 'object' || !Array.isArray(form.components)) throw new Error('不是 Camunda 表单：缺少 components (not a form-js document)');
  const warnings: string[] = [];
  const root: Level = { properties: {}, ui: {}, required: [] };
  const descriptions: string[] = [];
  walk(form.components as Component[], root, '', descriptions, (m) => warnings.push(m));
  const schema: JsonObject = { type: 'object', properties: root.properties, required: root.required };
  if (descriptions.length) schema.description = descriptions.join('\n\n');
  tidy(schema, root.ui);
  return { schema, uiSchema: root.ui, warnings };
}
