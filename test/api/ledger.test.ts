// The 台账 (API v1.1 "Ledger 台账 and statistics"): JSON pages with the rule set's columns, filters,
// Chinese search, the .xlsx read back cell by cell, CSV with a BOM, and the role check.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, startInstance } from '../support/walk.js';

let server: Server;
let staff: Client;
const cases: Record<string, { id: string; no: string }> = {};

const intake = (matter: string, category: string, reporter: string) => ({
  date: '2026-11-01', matter, category, department: '村委会', reporter, contact: '13800000000', repeated: false,
});

async function register(matter: string, category: string, reporter: string) {
  const inst = await startInstance(staff, 'township-triage', 'triage');
  await completeNext(staff, inst.id, 'register', intake(matter, category, reporter));
  return { id: inst.id, no: (await staff.get(`/api/instances/${inst.id}`)).body.no };
}

const ledger = (params: string) => staff.get(`/api/ledger?jurisdiction=township-triage&${params}`);
const HEADERS = ['编号', '日期', '事项', '归口', '反映单位（个人）', '联系方式', '类别', '分流类别', '状态', '当前环节', '责任组', '办理期限', '办结日期'];

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  staff = await Client.signIn(server.url, 'township-triage.staff');
  cases.fire = await register('东区消防通道被占用', '治安与消防', '居民甲');
  cases.dance = await register('广场舞场地噪音', '文体活动', '居民乙');
  cases.elder = await register('独居老人赡养纠纷', '赡养老人', '居民丙');
  await completeNext(staff, cases.dance.id, 'classify', { matterClass: '小事', basis: '村规民约（居民公约）' });
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/ledger', () => {
  it('lists one row per case, newest first, with the rule set’s columns', async () => {
    const res = await ledger('limit=50');
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: any) => c.header)).toEqual(HEADERS);
    expect(res.body.items.map((r: any) => r.no)).toEqual([cases.elder.no, cases.dance.no, cases.fire.no]);
    const fire = res.body.items[2];
    expect(fire).toMatchObject({
      instanceId: cases.fire.id, jurisdiction: 'township-triage', processKey: 'triage', title: '东区消防通道被占用', reporter: '居民甲',
      category: '治安与消防', class: '大事', status: 'active', closedAt: null,
    });
    expect(fire.currentStep).toBeTruthy();
    expect(fire.cells).toEqual([cases.fire.no, '2026-11-01', '东区消防通道被占用', '村委会', '居民甲', '13800000000', '治安与消防', '大事', '进行中', fire.currentStep, fire.group, fire.due, null]);
  });

  it('filters by class, status and period, and searches Chinese text in titles and reporters', async () => {
    expect((await ledger(`class=${encodeURIComponent('小事')}`)).body.items.map((r: any) => r.instanceId)).toEqual([cases.dance.id]);
    expect((await ledger(`q=${encodeURIComponent('噪音')}`)).body.items.map((r: any) => r.instanceId)).toEqual([cases.dance.id]);
    expect((await ledger(`q=${encodeURIComponent('居民丙')}`)).body.items.map((r: any) => r.instanceId)).toEqual([cases.elder.id]);
    expect((await ledger('status=completed')).body.items).toEqual([]);
    expect((await ledger('period=2020Q1')).body.items).toEqual([]);
    const now = new Date(Date.now() + 8 * 3600_000);
    expect((await ledger(`period=${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`)).body.items).toHaveLength(3);
    const bad = await ledger('period=2026Q5');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'period', message: 'not a period' }]);
  });

  it('exports a real .xlsx: Chinese header, dates as dates, widths, frozen header, one row per case', async () => {
    const res = await staff.download('/api/ledger?jurisdiction=township-triage&format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('台账-township-triage'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as any);
    const sheet = wb.worksheets[0];
    expect(sheet.name).toBe('台账');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getColumn(3).width).toBe(40);
    expect(sheet.rowCount).toBe(4);
    const { columns, items: json } = (await ledger('limit=50')).body;
    for (const [n, row] of json.entries()) {
      const xl = sheet.getRow(n + 2);
      for (const [c, value] of row.cells.entries()) {
        const cell = xl.getCell(c + 1);
        if (columns[c].type === 'date' && value !== null) {
          // Excel shows the Beijing calendar date of the instant (a plain date stays that date).
          expect(cell.value).toBeInstanceOf(Date);
          expect(cell.numFmt).toBe('yyyy-mm-dd');
          expect((cell.value as Date).toISOString().slice(0, 10)).toBe(new Date(Date.parse(value) + 8 * 3600_000).toISOString().slice(0, 10));
        } else {
          expect(cell.value ?? null, `row ${n + 2} column ${c + 1}`).toBe(value);
        }
      }
    }
  });

  it('exports CSV as UTF-8 with a BOM and the Chinese header', async () => {
    const res = await staff.download(`/api/ledger?jurisdiction=township-triage&format=csv&q=${encodeURIComponent('消防')}`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(HEADERS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1].startsWith(`${cases.fire.no},2026-11-01,东区消防通道被占用,村委会,居民甲,13800000000,治安与消防,大事,进行中,`)).toBe(true);
  });

  it('is only for members of the jurisdiction or an ancestor', async () => {
    const national = await Client.signIn(server.url, 'national.official');
    expect((await national.get('/api/ledger?jurisdiction=township-triage')).status).toBe(200);
    const other = await Client.signIn(server.url, 'anhui.staff');
    const refused = await other.get('/api/ledger?jurisdiction=township-triage&format=xlsx');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await new Client(server.url).get('/api/ledger?jurisdiction=township-triage')).status).toBe(401);
    expect((await staff.get('/api/ledger')).status).toBe(400);
  });
});
