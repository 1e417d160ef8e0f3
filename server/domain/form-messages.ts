// Validation messages a person can act on: the field's title from the form, and what to do — no
// property names, no regular expressions. One module for the server's 422s and the designer's
// in-browser checks (designer/src imports it), so both say the same thing.

/** The title of the field a JSON pointer names (the nearest titled property on the way), else its name. */
export function fieldTitle(schema: unknown, pointer: string): string {
  let s = schema as Record<string, unknown> | undefined;
  let title = '';
  for (const part of pointer.split('/').filter(Boolean)) {
    const props = s?.properties as Record<string, unknown> | undefined;
    const next = (props?.[part] ?? (/^\d+$/.test(part) ? s?.items : undefined)) as Record<string, unknown> | undefined;
    if (!next) return title || part;
    if (typeof next.title === 'string') title = next.title;
    else if (!/^\d+$/.test(part)) title = part;
    s = next;
  }
  return title;
}

/** The schema a JSON pointer names, if any. */
function schemaAt(schema: unknown, pointer: string): Record<string, unknown> | undefined {
  let s = schema as Record<string, unknown> | undefined;
  for (const part of pointer.split('/').filter(Boolean)) {
    const props = s?.properties as Record<string, unknown> | undefined;
    s = (props?.[part] ?? (/^\d+$/.test(part) ? s?.items : undefined)) as Record<string, unknown> | undefined;
  }
  return s;
}

const FORMATS: Record<string, string> = {
  date: '请填写日期（如 2026-11-01）', 'date-time': '请填写日期和时间', time: '请填写时间（如 09:30）',
  email: '请填写正确的电子邮箱', uri: '请填写完整的网址', attachment: '附件无效，请重新上传',
};

/**
 * A Chinese message for one ajv error at `pointer` (for `required`: the missing field's pointer).
 * The schema's `errorMessage` (as ajv-errors spells it: a string, or one per keyword) wins.
 */
export function friendlyMessage(schema: unknown, pointer: string, keyword: string, params: Record<string, unknown>): string {
  const title = fieldTitle(schema, pointer) || '此项';
  const own = schemaAt(schema, pointer)?.errorMessage;
  if (typeof own === 'string') return own;
  if (own && typeof own === 'object' && typeof (own as Record<string, unknown>)[keyword] === 'string') return (own as Record<string, string>)[keyword];
  const limit = params.limit;
  const q = `“${title}”`;
  switch (keyword) {
    case 'required':
      return `请填写${q}`;
    case 'minLength':
      return limit === 1 ? `请填写${q}` : `${q}至少要写 ${limit} 个字`;
    case 'maxLength':
      return `${q}最多 ${limit} 个字，请精简`;
    case 'pattern':
      return `${q}的写法不对，请检查后重新填写`;
    case 'format':
      return `${q}：${FORMATS[String(params.format)] ?? '格式不对，请检查后重新填写'}`;
    case 'minimum':
      return `${q}不能小于 ${limit}`;
    case 'exclusiveMinimum':
      return `${q}应大于 ${limit}`;
    case 'maximum':
      return `${q}不能大于 ${limit}`;
    case 'exclusiveMaximum':
      return `${q}应小于 ${limit}`;
    case 'multipleOf':
      return `${q}应是 ${params.multipleOf} 的整数倍`;
    case 'type':
      if (params.type === 'integer') return `${q}请填写整数`;
      if (params.type === 'number') return `${q}请填写数字`;
      if (params.type === 'boolean') return `${q}请选择“是”或“否”`;
      return `请填写${q}`;
    case 'enum':
    case 'const':
      return `${q}请从给出的选项中选择`;
    case 'minItems':
      return limit === 1 ? `请至少填写一项${q}` : `${q}至少需要 ${limit} 项`;
    case 'maxItems':
      return `${q}最多 ${limit} 项`;
    case 'uniqueItems':
      return `${q}中有重复的项，请删去重复的`;
    case 'minProperties':
    case 'maxProperties':
    case 'additionalProperties':
      return `${q}中有不该填写的内容`;
    default:
      return `${q}填写有误，请检查`;
  }
}
