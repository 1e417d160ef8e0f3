// Camunda 8.6's POST /v2/deployments for Yishi (see domain/deployments.ts): a multipart upload of
// .bpmn, .dmn and .form files (parts named `resources`) and an optional `tenantId` (a jurisdiction),
// from Camunda Modeler, zbctl-style tools or the SDK's deployResources. The account authenticates
// with HTTP basic and must be an official or admin of the jurisdiction; failed authentications per
// address are limited as the job API's are. Served on both engines.
import { Router, type Request } from 'express';
import busboy from 'busboy';
import { ipKeyGenerator } from 'express-rate-limit';
import { DomainError } from '../errors.js';
import type { Deployments, Resource } from '../domain/deployments.js';
import type { WorkerAuth } from '../domain/workers.js';
import { FailedAttempts } from './camunda.js';
import { sendProblem } from './http.js';

const MAX_FILES = 50;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 20;

const badUpload = (detail: string) => new DomainError(400, 'INVALID_ARGUMENT', detail, [{ path: '/resources', message: detail }]);

/** The files (parts named `resources`) and the tenantId field of a deployment request, read whole. */
function upload(req: Request): Promise<{ resources: Resource[]; tenantId?: string }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: MAX_FILES, fileSize: MAX_FILE_BYTES, fields: 5 }, defParamCharset: 'utf8' });
    } catch {
      return reject(badUpload('请求不是有效的 multipart/form-data 上传 (expected multipart/form-data)'));
    }
    const resources: Resource[] = [];
    let tenantId: string | undefined;
    let failed: DomainError | null = null;
    parser.on('file', (field, stream, info) => {
      if (field !== 'resources') return stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (failed = new DomainError(413, 'Payload Too Large', `文件 ${info.filename} 超过 ${MAX_FILE_BYTES} 字节 (resource too large)`)));
      stream.on('end', () => resources.push({ name: info.filename ?? 'resource', content: Buffer.concat(chunks) }));
    });
    parser.on('field', (name, value) => {
      if (name === 'tenantId') tenantId = value;
    });
    parser.on('filesLimit', () => (failed = badUpload(`一次最多部署 ${MAX_FILES} 个文件 (too many resources)`)));
    parser.on('error', () => reject(badUpload('上传的数据不完整 (incomplete upload)')));
    parser.on('close', () => (failed ? reject(failed) : resolve({ resources, tenantId })));
    req.pipe(parser);
  });
}

export function camundaDeploymentsRouter({ deployments, auth }: { deployments: Deployments; auth: WorkerAuth }) {
  const r = Router();
  const failures = new FailedAttempts(FAILURE_WINDOW_MS, MAX_FAILURES);
  r.post('/', async (req, res) => {
    const address = ipKeyGenerator(req.ip ?? '');
    if (failures.blocked(address)) return sendProblem(res, 429, 'Too Many Requests', '认证失败次数过多，请 15 分钟后再试 (too many failed authentications)');
    const user = await auth.user(req.headers.authorization).catch((err: { challenge?: string }) => {
      failures.count(address);
      res.set('WWW-Authenticate', err.challenge!);
      throw err;
    });
    if (!req.is('multipart/form-data')) throw badUpload('请以 multipart/form-data 上传 resources 文件 (expected multipart/form-data with resources)');
    const { resources, tenantId } = await upload(req);
    res.json(await deployments.deploy(user, tenantId, resources));
  });
  return r;
}
