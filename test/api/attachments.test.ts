// Attachments through the HTTP API: the bytes round-trip with their sha256; the size cap, the type
// sniffed from the bytes, jurisdiction access, and form data naming someone else's file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, type Server } from '../support/server.js';
import { photoBundle } from '../support/photo-bundle.js';
import { openTask, startInstance } from '../support/walk.js';

const MAX = 300_000;
let server: Server;
let admin: Client;
let staffA: Client;
let staffB: Client;
const village = `att-${crypto.randomUUID().slice(0, 8)}`;

/** A real JPEG start (SOI + APP0 JFIF) followed by random bytes. */
const jpeg = (size: number) => Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), crypto.randomBytes(size - 20)]);

beforeAll(async () => {
  server = await startServer({ env: { ATTACHMENT_MAX_BYTES: String(MAX) } });
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  staffA = await Client.signIn(server.url, 'town-a.staff');
  staffB = await Client.signIn(server.url, 'town-b.staff');
  const res = await admin.post('/api/rulesets', photoBundle(village, 'town-a'));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});
afterAll(async () => {
  await server?.stop();
});

describe('attachments', () => {
  it('round-trips the bytes with name, sniffed type and sha256, and audits the upload', async () => {
    const bytes = jpeg(250_000);
    const up = await staffA.upload(`/api/attachments?jurisdiction=${village}`, '签到簿.png', bytes);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toEqual({ id: expect.any(String), name: '签到簿.png', size: bytes.length, contentType: 'image/jpeg', sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
    const down = await staffA.bytes(`/api/attachments/${up.body.id}`);
    expect(down.status).toBe(200);
    expect(crypto.createHash('sha256').update(down.bytes).digest('hex')).toBe(up.body.sha256);
    expect(down.headers.get('content-type')).toBe('image/jpeg');
    expect(down.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('签到簿.png')}`);
    expect(down.headers.get('content-disposition')).toMatch(/^attachment;/);
    const audit = (await admin.get(`/api/audit?jurisdiction=${village}`)).body.items;
    expect(audit.find((a: any) => a.action === 'attachment.upload' && a.targetId === up.body.id)?.detail).toMatchObject({ sha256: up.body.sha256 });
    // plain text is allowed too
    const note = await staffA.upload(`/api/attachments?jurisdiction=${village}`, '会议纪要.txt', Buffer.from('村民代表会议纪要：同意集体出资维修。\n'));
    expect([note.status, note.body.contentType]).toEqual([201, 'text/plain; charset=utf-8']);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with 413 and keeps nothing', async () => {
    const res = await staffA.upload(`/api/attachments?jurisdiction=${village}`, '大照片.jpg', jpeg(MAX + 1));
    expect(res.status).toBe(413);
    expect(res.body.detail).toContain('MB');
    const at = (await admin.get(`/api/audit?jurisdiction=${village}`)).body.items.filter((a: any) => a.detail?.name === '大照片.jpg');
    expect(at).toEqual([]);
  });

  it('refuses an executable renamed .png with 415: the type comes from the bytes', async () => {
    const elf = fs.readFileSync(process.execPath).subarray(0, 64_000);
    const res = await staffA.upload(`/api/attachments?jurisdiction=${village}`, 'photo.png', elf);
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('lets only members of the jurisdiction or an ancestor read a file (403 from a sibling)', async () => {
    const up = await staffA.upload(`/api/attachments?jurisdiction=${village}`, 'a.jpg', jpeg(1000));
    expect((await staffB.bytes(`/api/attachments/${up.body.id}`)).status).toBe(403);
    expect((await admin.bytes(`/api/attachments/${up.body.id}`)).status).toBe(200);
    expect((await new Client(server.url).bytes(`/api/attachments/${up.body.id}`)).status).toBe(401);
    expect((await staffB.upload(`/api/attachments?jurisdiction=${village}`, 'b.jpg', jpeg(1000))).status).toBe(403);
    expect((await staffA.bytes(`/api/attachments/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('refuses form data naming an unknown attachment or one of another jurisdiction (422), accepts its own', async () => {
    const inst = await startInstance(staffA, village, 'site-check');
    const task = await openTask(staffA, inst.id, 'attach');
    const foreign = (await staffB.upload('/api/attachments?jurisdiction=town-b', 'b.jpg', jpeg(1000))).body.id;
    const own = (await staffA.upload(`/api/attachments?jurisdiction=${village}`, 'a.jpg', jpeg(1000))).body.id;
    const bad = await staffA.post(`/api/tasks/${task.id}/complete`, { data: { photos: [own, foreign, crypto.randomUUID()] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(['/photos/1', '/photos/2']);
    expect(bad.body.errors[0].message).toContain('现场照片');
    const ok = await staffA.post(`/api/tasks/${task.id}/complete`, { data: { photos: [own] } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await staffA.get(`/api/instances/${inst.id}`)).body.variables.photos).toEqual([own]);
  });
});
