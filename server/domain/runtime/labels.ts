// A jurisdiction's vocabulary applied to what people read in a form schema, never to its data.
import { isPlainObject } from '../../json.js';

const LABEL_KEYS = new Set(['title', 'description', 'enumNames']);
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples', 'required', 'pattern', 'format', 'type', '$ref']);

/** Applies the vocabulary to the labels of a schema, never to its values (enum, const…). */
export function localizeLabels(value: unknown, localize: (text: string) => string, isLabel = false): unknown {
  if (typeof value === 'string') return isLabel ? localize(value) : value;
  if (Array.isArray(value)) return value.map((v) => localizeLabels(v, localize, isLabel));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, DATA_KEYS.has(k) ? v : localizeLabels(v, localize, LABEL_KEYS.has(k))]));
  }
  return value;
}
