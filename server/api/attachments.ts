// Attachments over HTTP: a multipart upload streamed through busboy into the domain, a download
// streamed back with Content-Disposition: attachment.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { Router, type Request } from 'express';
import { badUpload } from '../domain/attachments.js';
import { badRequest } from '../errors.js';
import { query, user, type AuthedRequest } from './http.js';
import type { Deps } from './deps.js';

interface IncomingFile {
  name: string;
  bytes: Readable;
}

/** The one part named "file" of a multipart request, as it streams in. */
function incomingFile(req: Request): Promise<IncomingFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, parts: 11 }, defParamCharset: 'utf8' });
    } catch {
      return reject(badUpload('请求不是有效的文件上传'));
    }
    let found = false;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || found) return stream.resume();
      found = true;
      resolve({ name: info.filename ?? '附件', bytes: stream });
    });
    parser.on('error', () => reject(badUpload('上传的文件数据不完整')));
    parser.on('close', () => {
      if (!found) reject(badUpload('没有收到文件，请选择文件后再上传'));
    });
    req.pipe(parser);
  });
}

export function attachmentsRouter({ attachments }: Deps) {
  const r = Router();
  r.post('/', async (req: AuthedRequest, res) => {
    const who = user(req);
    const jurisdiction = query(req, 'jurisdiction');
    if (!jurisdiction) throw badRequest('请指明辖区 (jurisdiction is required)', [{ path: 'jurisdiction', message: '必填 (required)' }]);
    if (!req.is('multipart/form-data')) throw badUpload('请以表单文件方式上传');
    const file = await incomingFile(req);
    try {
      const a = await attachments.upload(who, jurisdiction, { name: file.name, bytes: file.bytes });
      res.status(201).json({ id: a.id, name: a.name, size: a.size, contentType: a.contentType, sha256: a.sha256 });
    } catch (err) {
      // Refused midway (type, size): read the rest away so that the client gets the answer.
      file.bytes.resume();
      req.resume();
      throw err;
    }
  });
  /** What the form widget shows beside a file: name, type, size. */
  r.get('/:id/meta', async (req: AuthedRequest, res) => {
    const { record } = await attachments.open(user(req), req.params.id as string);
    res.json({ id: record.id, name: record.name, size: record.size, contentType: record.contentType, sha256: record.sha256 });
  });
  r.get('/:id', async (req: AuthedRequest, res) => {
    const { record, bytes } = await attachments.open(user(req), req.params.id as string);
    res.attachment(record.name);
    res.set({ 'Content-Type': record.contentType, 'Content-Length': String(record.size), 'Cache-Control': 'private, max-age=3600' });
    await pipeline(Readable.from(bytes), res);
  });
  return r;
}
