// Printable documents: templates are rule-set data filled from the case's data, overridden per
// jurisdiction like forms, and round-trip through bundle export and import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, type Server } from '../support/server.js';
import { heldMeeting } from '../support/consultation.js';
import { completeNext, startInstance } from '../support/walk.js';
import { photoBundle } from '../support/photo-bundle.js';

let server: Server;
let staff: Client;
let admin: Client;

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  staff = await Client.signIn(server.url, 'national.staff');
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await server?.stop();
});

describe('printable documents', () => {
  it('fills the meeting record from the case: issuer, 文号 from the case number, Chinese dates, votes, signature lines', async () => {
    const inst = await heldMeeting(staff);
    const no = (await staff.get(`/api/instances/${inst.id}`)).body.no as string;
    const [year, seq] = no.split('-');
    expect((await staff.get(`/api/documents?instanceId=${inst.id}`)).body).toEqual([
      { key: 'meeting-record', name: '会议记录' },
      { key: 'notice', name: '书面通知' },
      { key: 'reply', name: '书面答复' },
      { key: 'publicity', name: '公示' },
    ]);
    const doc = (await staff.get(`/api/documents/${inst.id}/meeting-record`)).body;
    expect(doc).toEqual({
      key: 'meeting-record', name: '会议记录', title: '协商议事会议记录', no,
      docNo: `全国议记〔${year}〕${Number(seq)}号`, date: '2026年11月10日 9:00', issuer: '全国',
      fields: [
        { label: '议题', value: '小区停车管理' },
        { label: '时间', value: '2026年11月10日 9:00' },
        { label: '地点', value: '社区议事厅' },
        { label: '主持人', value: '李书记' },
        { label: '记录人', value: '王五' },
        { label: '应到会人数', value: '15' },
        { label: '实到会人数', value: '13' },
        { label: '表决结果', value: '赞成 12 票，反对 1 票，弃权 0 票' },
      ],
      body: [
        { heading: '会议内容', text: '各方充分发表意见，同意划定临时停车区。' },
        { heading: '会议决议和决定', text: '划定临时停车区' },
      ],
      signatures: ['主持人', '记录人'],
      attachments: [],
    });
    const notice = (await staff.get(`/api/documents/${inst.id}/notice`)).body;
    expect(notice).toMatchObject({ date: '2026年11月5日', body: [{ heading: '协商内容和相关信息', text: '停车管理恳谈会' }] });
    expect(notice.fields).toContainEqual({ label: '参加协商的主体', value: '村（居）民委员会、户籍居民代表' });
    // Not yet written: the reply's blanks stay blank to be filled in by hand.
    expect((await staff.get(`/api/documents/${inst.id}/reply`)).body).toMatchObject({ date: null, body: [{ heading: '答复意见', text: null }] });
  });

  it('offers Wushen its own 政府书面答复 beside the inherited ones; refuses unknown documents and non-members', async () => {
    const wushen = await Client.signIn(server.url, 'wushen-banner.staff');
    const inst = await startInstance(wushen, 'wushen-banner', 'consultation');
    expect((await wushen.get(`/api/documents?instanceId=${inst.id}`)).body.map((d: any) => d.name)).toEqual(['政府书面答复', '会议记录', '书面通知', '书面答复', '公示']);
    expect((await wushen.get(`/api/documents/${inst.id}/government-reply`)).body).toMatchObject({ issuer: '苏木镇人民政府', title: '关于嘎查村协商结果的书面答复' });
    expect((await wushen.get(`/api/documents/${inst.id}/nothing`)).status).toBe(404);
    const anhui = await Client.signIn(server.url, 'anhui.staff');
    expect((await anhui.get(`/api/documents/${inst.id}/meeting-record`)).status).toBe(403);
    expect((await anhui.get(`/api/documents?instanceId=${inst.id}`)).status).toBe(403);
  });

  it('round-trips templates through bundle export and import, and a child overrides one by its key', async () => {
    const exported = (await admin.get('/api/rulesets/national')).body;
    expect(Object.keys(exported.documents)).toEqual(['meeting-record', 'notice', 'reply', 'publicity']);
    expect((await admin.post('/api/rulesets', exported)).status).toBe(201);
    expect((await admin.get('/api/rulesets/national')).body.documents).toEqual(exported.documents);

    const override = { ...exported.documents['meeting-record'], title: '东村协商议事会议记录', signatures: ['主持人', '记录人', '监督委员会'] };
    const child = { jurisdiction: { id: 'east-village', name: '东村', parent: 'national' }, documents: { 'meeting-record': override } };
    expect((await admin.post('/api/rulesets', child)).status).toBe(201);
    expect((await admin.get('/api/rulesets/east-village')).body.documents).toEqual(child.documents);
    const inst = await heldMeeting(staff, 'east-village');
    const doc = (await staff.get(`/api/documents/${inst.id}/meeting-record`)).body;
    expect(doc).toMatchObject({ title: '东村协商议事会议记录', issuer: '东村', signatures: ['主持人', '记录人', '监督委员会'] });
    expect(doc.docNo).toMatch(/^东村议记〔\d{4}〕1号$/);
  });
});

describe('case rules in a bundle', () => {
  it('refuses a bundle whose summary, ledger column and document are wrong, names all three, and stores nothing', async () => {
    const bundle = {
      jurisdiction: { id: 'bad-village', name: '错误示例村', parent: 'national' },
      summaries: { consultation: { title: '=if topic then' } },
      ledger: { columns: [{ header: '编号', value: 'no' }, { header: '事项', value: 'topic' }] },
      documents: { notice: { name: '书面通知', title: '通知' } },
    };
    const res = await admin.post('/api/rulesets', bundle);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual(['/documents/notice', '/ledger/columns/1/value', '/summaries/consultation/title']);
    expect((await admin.get('/api/jurisdictions/bad-village')).status).toBe(404);
  });

  it('lists and links the files of the recorded submission under the document, with their field', async () => {
    const bundle = {
      ...photoBundle('doc-village', 'national', '附件测试村'),
      documents: { 'site-record': { name: '现场核查记录', processes: ['site-check'], form: 'photo-form', title: '现场核查记录', body: [{ heading: '说明', text: '=note' }] } },
    };
    expect((await admin.post('/api/rulesets', bundle)).status).toBe(201);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
    const ids = [];
    for (const name of ['签到簿.png', '公约按手印.png']) ids.push((await staff.upload('/api/attachments?jurisdiction=doc-village', name, png)).body.id);
    const inst = await startInstance(staff, 'doc-village', 'site-check');
    await completeNext(staff, inst.id, 'attach', { photos: ids, note: '现场已核实' });
    const doc = (await staff.get(`/api/documents/${inst.id}/site-record`)).body;
    expect(doc.body).toEqual([{ heading: '说明', text: '现场已核实' }]);
    expect(doc.attachments).toEqual([
      { id: ids[0], name: '签到簿.png', field: '现场照片' },
      { id: ids[1], name: '公约按手印.png', field: '现场照片' },
    ]);
    expect((await staff.bytes(`/api/attachments/${doc.attachments[0].id}`)).status).toBe(200);
  });
});
