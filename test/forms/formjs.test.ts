// Camunda Forms (form-js JSON as Camunda Modeler saves it) → JSON Schema + uiSchema: the converted
// schema renders in rjsf and validates on the server with the fields' own titles in the messages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Forms } from '../../server/domain/forms.js';
import { convertFormJs } from '../../server/forms/formjs.js';
import type { JsonObject } from '../../server/json.js';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/forms', `${name}.form`), 'utf8'));
const forms = new Forms();
const problems = (name: string, data: JsonObject) => {
  const { schema, uiSchema } = convertFormJs(fixture(name));
  return forms.validate({ jurisdiction: 't', formKey: name, version: 1, doc: { schema, uiSchema }, createdAt: '', createdBy: '' }, data);
};

describe('form-js → JSON Schema', () => {
  it('converts the field types with their validation, options, defaults and widgets', () => {
    const { schema, uiSchema, warnings } = convertFormJs(fixture('matter-report'));
    expect(warnings).toEqual([]);
    expect(schema.description).toBe('村民反映事项登记\n请如实填写，带 * 的为必填项。');
    expect(schema.required).toEqual(['reporter', 'description', 'category', 'truthful']);
    const p = schema.properties as Record<string, JsonObject>;
    expect(Object.keys(p)).toEqual(['reporter', 'phone', 'description', 'households', 'category', 'urgency', 'happenedOn', 'truthful']);
    expect(p.reporter).toEqual({ type: 'string', title: '反映人姓名', minLength: 2, maxLength: 20 });
    expect(p.description).toMatchObject({ type: 'string', maxLength: 500, minLength: 1, description: '时间、地点、涉及哪些户' });
    expect(p.households).toEqual({ type: 'integer', title: '涉及户数', minimum: 1, maximum: 10000 });
    expect(p.category!.oneOf).toEqual([{ const: 'infrastructure', title: '基础设施' }, { const: 'neighbour-dispute', title: '邻里纠纷' }, { const: 'other', title: '其他' }]);
    expect(p.category!.type).toBe('string');
    expect(p.urgency).toMatchObject({ type: 'string', default: 'normal' });
    expect(p.happenedOn).toEqual({ type: 'string', format: 'date', title: '发生日期' });
    expect(p.truthful).toMatchObject({ type: 'boolean', const: true });
    expect(uiSchema).toEqual({ description: { 'ui:widget': 'textarea' }, urgency: { 'ui:widget': 'radio' } });
  });

  it('validates with the form’s rules: required, min/max, lengths, options, a ticked checkbox', () => {
    const ok = { reporter: '王小明', description: '村口道路塌陷', households: 12, category: 'infrastructure', urgency: 'urgent', happenedOn: '2026-11-01', truthful: true };
    expect(problems('matter-report', ok)).toEqual([]);
    const bad = problems('matter-report', { reporter: '王', description: '', households: 0, category: 'weather', truthful: false, phone: 'abc' });
    const byPath = Object.fromEntries(bad.map((p) => [p.path, p.message]));
    expect(byPath['/reporter']).toMatch(/反映人姓名.*至少要写 2 个字/);
    expect(byPath['/description']).toMatch(/请填写“事项描述”/);
    expect(byPath['/households']).toMatch(/涉及户数.*不能小于 1/);
    expect(byPath['/category']).toMatch(/事项类别.*选项/);
    expect(byPath['/truthful']).toBeDefined();
    expect(byPath['/phone']).toMatch(/联系电话/);
    // One message per field: the alternatives of a choice do not each report.
    expect(bad.filter((p) => p.path === '/category')).toHaveLength(1);
  });

  it('nests a group’s fields under its path and dotted keys into objects; lists become arrays of options', () => {
    const { schema, uiSchema, warnings } = convertFormJs(fixture('site-inspection'));
    const p = schema.properties as Record<string, JsonObject>;
    expect(p.site).toEqual({
      type: 'object',
      properties: { place: { type: 'string', title: '地点', minLength: 1 }, area: { type: 'number', title: '面积（平方米）', minimum: 0 } },
      required: ['place'],
    });
    expect(p.materials).toMatchObject({ type: 'array', uniqueItems: true, minItems: 1, items: { anyOf: [{ const: 'photo', title: '照片' }, { const: 'measurement', title: '测量记录' }, { const: 'signature', title: '签字确认' }] } });
    expect(p.offices).toMatchObject({ type: 'array', uniqueItems: true });
    expect(p.inspectedAt).toMatchObject({ type: 'string', format: 'date-time', title: '检查日期' });
    expect(p.revisitAt).toMatchObject({ type: 'string', title: '约定回访时间' });
    expect(uiSchema).toMatchObject({ materials: { 'ui:widget': 'checkboxes' }, revisitAt: { 'ui:widget': 'time' } });
    // What does not carry over is said, and still leaves a field to fill in.
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/负责人.*变量/);
    expect(warnings.join('\n')).toMatch(/整改项.*dynamiclist/);
    expect(warnings.join('\n')).toMatch(/检查意见.*显示条件/);
    expect(p.inspector).toEqual({ type: 'string', title: '负责人' });
    expect(p.fixes).toMatchObject({ type: 'string', title: '整改项' });

    expect(problems('site-inspection', { site: { place: '村口', area: 12.5 }, materials: ['photo'], revisitAt: '09:30' })).toEqual([]);
    const bad = problems('site-inspection', { site: { area: -1 }, materials: [], revisitAt: 'soon' });
    expect(bad.map((x) => x.path).sort()).toEqual(['/materials', '/revisitAt', '/site/area', '/site/place']);
  });

  it('email and pattern checks, read-only fields, and display components', () => {
    const { schema, uiSchema, warnings } = convertFormJs(fixture('contact'));
    const p = schema.properties as Record<string, JsonObject>;
    expect(p.contact).toMatchObject({ type: 'object', required: ['email'], properties: { email: { format: 'email' }, postcode: { pattern: '^[0-9]{6}$' } } });
    expect(uiSchema).toEqual({ verified: { 'ui:readonly': true } });
    expect(warnings).toEqual([expect.stringMatching(/图片/)]);
    expect(problems('contact', { contact: { email: 'a@b.cn', postcode: '017300' } })).toEqual([]);
    const bad = problems('contact', { contact: { email: 'not-mail', postcode: '12' } });
    expect(bad.map((x) => x.path).sort()).toEqual(['/contact/email', '/contact/postcode']);
    expect(bad.find((x) => x.path === '/contact/email')!.message).toMatch(/电子邮箱/);
  });

  it('refuses what is not a form-js document', () => {
    expect(() => convertFormJs('{"type": "default"}')).toThrow(/components/);
    expect(() => convertFormJs('not json')).toThrow();
  });
});
