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
import { bootstrap, type BootstrapReport } from './domain/bootstrap.js';
import { Cases } from './domain/cases.js';
import { Catalog } from './domain/catalog.js';
import { Forms } from './domain/forms.js';
import { internalHandlers } from './domain/handlers.js';
import { Jurisdictions } from './domain/jurisdictions.js';
import { Documents } from './domain/documents.js';
import { Ledger } from './domain/ledger.js';
import { Stats } from './domain/stats.js';
import { RuleSets } from './domain/rulesets.js';
import { Runtime } from './domain/runtime.js';
import { TimerScheduler } from './domain/scheduler.js';
import { Sessions } from './domain/sessions.js';
import { Users } from './domain/users.js';
import { notFound } from './errors.js';
import { problemHandler, requireJson } from './api/http.js';
import type { Services } from './api/services.js';
import { authenticate, sessionRouter } from './api/session.js';
import { usersRouter } from './api/users.js';
import { jurisdictionsRouter, ruleSetsRouter } from './api/jurisdictions.js';
import { formsRouter, processesRouter } from './api/processes.js';
import { auditRouter, instancesRouter, messagesRouter, publicRouter, tasksRouter } from './api/instances.js';
import { documentsRouter } from './api/documents.js';
import { ledgerRouter } from './api/ledger.js';
import { statsRouter } from './api/stats.js';

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
  services: Services;
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
  const ruleSets = new RuleSets(store, engine, jurisdictions, forms);
  const cases = new Cases(jurisdictions);
  const runtime = new Runtime(store, engine, jurisdictions, access, forms, cases, (err) => log.error(err));
  const services: Services = {
    config, store, engine, access, jurisdictions, ruleSets, runtime,
    ledger: new Ledger(store, jurisdictions, access, cases),
    stats: new Stats(store, jurisdictions, access),
    documents: new Documents(store, jurisdictions, access, cases),
    catalog: new Catalog(store, engine, jurisdictions, forms),
    sessions: new Sessions(store, config.sessionSecret),
    users: new Users(store, access, jurisdictions),
    version,
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
  api.use(authenticate(services));
  api.get('/health', (_req, res) => {
    res.json({ status: 'ok', store: store.kind, engine: engine.kind, version });
  });
  api.use('/session', sessionRouter(services));
  api.use('/users', usersRouter(services));
  api.use('/jurisdictions', jurisdictionsRouter(services));
  api.use('/rulesets', ruleSetsRouter(services));
  api.use('/processes', processesRouter(services));
  api.use('/forms', formsRouter(services));
  api.use('/instances', instancesRouter(services));
  api.use('/messages', messagesRouter(services));
  api.use('/tasks', tasksRouter(services));
  api.use('/public', publicRouter(services));
  api.use('/audit', auditRouter(services));
  api.use('/ledger', ledgerRouter(services));
  api.use('/stats', statsRouter(services));
  api.use('/documents', documentsRouter(services));
  api.use(() => {
    throw notFound('没有这个接口 (no such route)');
  });
  app.use('/api', api);
  // The built designer (npm run build:designer); hashed assets are cached for long, index.html never.
  const designer = path.resolve(import.meta.dirname, '..', 'designer', 'dist');
  if (fs.existsSync(designer)) {
    app.use('/assets', express.static(path.join(designer, 'assets'), { immutable: true, maxAge: '30d' }));
    app.use(express.static(designer, { index: 'index.html', maxAge: 0 }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(designer, 'index.html')));
  }
  app.use(problemHandler((err) => log.error(err)));

  const scheduler = new TimerScheduler(runtime, config.timerPollMs, (err) => log.error(err));
  const server = http.createServer(app);
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  scheduler.start();
  return {
    server,
    services,
    bootstrap: report,
    async close() {
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      await store.close();
    },
  };
}
