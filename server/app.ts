// Wires config → store → engine → domain → api. Nothing else constructs these.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { createRequire } from 'node:module';
import express from 'express';
import cookieParser from 'cookie-parser';
import type { Config } from './config.js';
import { openEngine } from './engine/open.js';
import type { Store } from './store/index.js';
import { openStoreAt } from './store/open.js';
import { Access } from './domain/access.js';
import { Attachments } from './domain/attachments.js';
import { DecisionIndex } from './domain/decisions.js';
import { DueWatch, Notifications } from './domain/notifications.js';
import { DEFAULT_TIMING, OutboxSender } from './domain/outbox.js';
import { openChannels } from './channels/index.js';
import { AuditTrail } from './domain/audit.js';
import { bootstrap, type BootstrapReport } from './domain/bootstrap.js';
import { Cases } from './domain/cases.js';
import { Catalog } from './domain/catalog.js';
import { Documents } from './domain/documents.js';
import { Ledger } from './domain/ledger.js';
import { Stats } from './domain/stats.js';
import { Forms } from './domain/forms.js';
import { internalHandlers } from './domain/service-tasks.js';
import { CACHE_POLL_MS, Jurisdictions } from './domain/jurisdictions.js';
import { PublishedResults } from './domain/results.js';
import { RuleSets } from './domain/rulesets.js';
import { Instances } from './domain/runtime/instances.js';
import { Migrations } from './domain/runtime/migration.js';
import { Messages } from './domain/runtime/messages.js';
import { TaskForms } from './domain/runtime/task-forms.js';
import { Progress } from './domain/runtime/progress.js';
import { StartTimers } from './domain/runtime/starts.js';
import { Signals } from './domain/runtime/signals.js';
import { signalsRouter } from './api/signals.js';
import { CALL_SWEEP_MS, Calls } from './domain/runtime/calls.js';
import { Operations, type OperationNotice } from './domain/runtime/operations.js';
import { Signing } from './domain/runtime/signing.js';
import { Steps } from './domain/runtime/steps.js';
import { instanceLock } from './domain/runtime/lock.js';
import { JobSignals, Jobs } from './domain/runtime/jobs.js';
import { WorkerAuth } from './domain/workers.js';
import { ServiceTokens } from './domain/service-tokens.js';
import { Tasks } from './domain/runtime/tasks.js';
import { TimerScheduler } from './domain/scheduler.js';
import { Sessions } from './domain/sessions.js';
import { Users } from './domain/users.js';
import { notFound } from './errors.js';
import { problemHandler, requireJson } from './api/http.js';
import type { Deps } from './api/deps.js';
import { authenticate, sessionRouter } from './api/session.js';
import { usersRouter } from './api/users.js';
import { jurisdictionsRouter } from './api/jurisdictions.js';
import { ruleSetsRouter } from './api/rulesets.js';
import { processesRouter } from './api/processes.js';
import { formsRouter } from './api/forms.js';
import { decisionsRouter } from './api/decisions.js';
import { instancesRouter } from './api/instances.js';
import { messagesRouter } from './api/messages.js';
import { tasksRouter } from './api/tasks.js';
import { caseOperationsRouter, taskOperationsRouter } from './api/task-operations.js';
import { publicRouter } from './api/public.js';
import { auditRouter } from './api/audit.js';
import { attachmentsRouter } from './api/attachments.js';
import { notificationsRouter } from './api/notifications.js';
import { documentsRouter } from './api/documents.js';
import { ledgerRouter } from './api/ledger.js';
import { statsRouter } from './api/stats.js';
import { camundaRouter } from './api/camunda.js';
import { camundaDeploymentsRouter } from './api/camunda-deployments.js';
import { Deployments } from './domain/deployments.js';
import { serviceTokensRouter } from './api/service-tokens.js';
import { healthRouter } from './api/health.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(err: unknown): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (e) => console.error(e),
};

function openStore(config: Config): Promise<Store> {
  return openStoreAt(config.store === 'mongodb' ? config.mongodbUri! : `sqlite:${path.join(config.dataDir, 'yishi.db')}`);
}

export interface App {
  server: http.Server;
  deps: Deps;
  bootstrap: BootstrapReport | null;
  close(): Promise<void>;
}

const BODY_LIMIT = '2mb';

export async function createApp(config: Config, log: Logger = consoleLogger): Promise<App> {
  const store = await openStore(config);
  const engine = openEngine(config, internalHandlers);
  const jurisdictions = new Jurisdictions(store);
  await jurisdictions.refresh();
  const access = new Access(jurisdictions);
  const forms = new Forms();
  const ruleSets = new RuleSets(store, engine, jurisdictions, forms, access);
  const cases = new Cases(jurisdictions);
  const steps = new Steps(store, engine, cases, new DecisionIndex(store, jurisdictions), instanceLock(store, engine));
  const calls = new Calls(store, steps, async (jurisdiction, key) => ({
    definition: await jurisdictions.definition(jurisdiction, key),
    params: (await jurisdictions.effective(jurisdiction)).parameters,
  }));
  engine.onCalls?.({
    definition: async (jurisdiction, key) => {
      const d = await jurisdictions.definition(jurisdiction, key);
      return { id: `${d.jurisdiction}/${d.key}/${d.version}`, xml: d.xml, processId: d.key };
    },
    started: (s) => calls.adopt(s),
  });
  const instances = new Instances(store, steps, jurisdictions, access);
  // Timer starts are scheduled here for every engine: one schedule per jurisdiction (Zeebe's broker gets none).
  const starts = new StartTimers(store, jurisdictions, instances);
  const signals = new Signals(store, engine, steps, jurisdictions, instances, access, (err) => log.error(err));
  const progress = new Progress(store, engine, steps, (err) => log.error(err), starts);
  const attachments = new Attachments(store, jurisdictions, access, config.attachmentMaxBytes);
  const notifications = new Notifications(store, access, (err) => log.error(err));
  const tasks = new Tasks(store, steps, jurisdictions, access, forms, attachments, new TaskForms(store, engine, jurisdictions));
  const notifyOperation = (notice: OperationNotice) => notifications.operation(notice);
  const workerAuth = new WorkerAuth(store, access, jurisdictions, config.sessionSecret);
  const deps: Deps = {
    config, jurisdictions, ruleSets,
    catalog: new Catalog(store, engine, jurisdictions, forms, access),
    instances,
    operations: new Operations(store, steps, jurisdictions, access, instances, notifyOperation),
    signing: new Signing(store, access, tasks, notifyOperation),
    migrations: new Migrations(store, steps, jurisdictions, access),
    tasks,
    attachments,
    notifications,
    messages: new Messages(store, engine, steps, access),
    signals,
    results: new PublishedResults(store, jurisdictions),
    audit: new AuditTrail(store, jurisdictions, access),
    sessions: new Sessions(store, config.sessionSecret),
    users: new Users(store, access, jurisdictions),
    ledger: new Ledger(store, jurisdictions, access, cases),
    stats: new Stats(store, jurisdictions, access),
    documents: new Documents(store, jurisdictions, access, cases),
    serviceTokens: new ServiceTokens(store, access, jurisdictions, (hash) => workerAuth.forget(hash)),
  };
  const report = await bootstrap({ store, ruleSets, jurisdictions, contentDir: config.contentDir, adminPassword: config.adminPassword, production: config.production });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' });
    next();
  });
  const api = express.Router();
  api.use(requireJson);
  api.use(express.json({ limit: BODY_LIMIT, strict: true }));
  api.use(cookieParser(config.sessionSecret));
  api.use(authenticate(deps));
  api.use('/health', healthRouter({ store, engine, version }));
  api.use('/session', sessionRouter(deps));
  api.use('/users', usersRouter(deps));
  api.use('/jurisdictions', jurisdictionsRouter(deps));
  api.use('/rulesets', ruleSetsRouter(deps));
  api.use('/processes', processesRouter(deps));
  api.use('/forms', formsRouter(deps));
  api.use('/decisions', decisionsRouter(deps));
  api.use('/instances', instancesRouter(deps));
  api.use('/messages', messagesRouter(deps));
  api.use('/signals', signalsRouter(deps));
  api.use('/tasks', taskOperationsRouter(deps));
  api.use('/tasks', tasksRouter(deps));
  api.use('/instances', caseOperationsRouter(deps));
  api.use('/public', publicRouter(deps));
  api.use('/audit', auditRouter(deps));
  api.use('/attachments', attachmentsRouter(deps));
  api.use('/notifications', notificationsRouter(deps));
  api.use('/ledger', ledgerRouter(deps));
  api.use('/stats', statsRouter(deps));
  api.use('/documents', documentsRouter(deps));
  api.use('/service-tokens', serviceTokensRouter(deps));
  api.use(() => {
    throw notFound('没有这个接口 (no such route)');
  });
  app.use('/api', api);
  // Deployments (Modeler, SDKs) are served on both engines, by officials' accounts: ahead of the job API.
  app.use('/camunda/v2/deployments', camundaDeploymentsRouter({
    deployments: new Deployments(engine, deps.catalog, jurisdictions, forms, access),
    auth: workerAuth,
  }));
  app.use('/camunda/v2', camundaRouter({
    jobs: engine.selfDriven ? null : new Jobs(store, steps, new JobSignals()),
    signals,
    auth: workerAuth,
    version,
    ratePerSecond: config.jobApiRatePerSecond,
  }));
  // The built designer (npm run build:designer); hashed assets are cached for long, index.html never.
  const designer = path.resolve(import.meta.dirname, '..', 'designer', 'dist');
  if (fs.existsSync(designer)) {
    app.use('/assets', express.static(path.join(designer, 'assets'), { immutable: true, maxAge: '30d' }));
    app.use(express.static(designer, { index: 'index.html', maxAge: 0 }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(designer, 'index.html')));
  }
  app.use(problemHandler((err) => log.error(err)));

  const schedulers = [
    new TimerScheduler(progress, config.timerPollMs, (err) => log.error(err)),
    // Rule-set writes made through other servers sharing the store.
    new TimerScheduler(jurisdictions, CACHE_POLL_MS, (err) => log.error(err)),
    // Calls whose child a crash cut off (Zeebe's broker runs its own call activities).
    ...(engine.selfDriven ? [] : [new TimerScheduler(calls, CALL_SWEEP_MS, (err) => log.error(err))]),
    new TimerScheduler(new DueWatch(store, jurisdictions), config.notifyPollMs, (err) => log.error(err)),
    new TimerScheduler(
      new OutboxSender(store, openChannels(config.smtp), { ...DEFAULT_TIMING, leaseMs: config.notifyLeaseMs, baseDelayMs: config.notifyRetryMs }),
      config.notifyPollMs,
      (err) => log.error(err),
    ),
  ];
  const server = http.createServer(app);
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  for (const s of schedulers) s.start();
  return {
    server,
    deps,
    bootstrap: report,
    async close() {
      await Promise.all(schedulers.map((s) => s.stop()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      await store.close();
    },
  };
}
