// `npm start`: configuration from the environment, then the whole product on one port.
import { ConfigError, loadConfig } from './config.js';
import { consoleLogger, createApp } from './app.js';
import { DEMO_PASSWORD } from './domain/bootstrap.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`yishi: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  const report = app.bootstrap;
  if (report) {
    console.log(`yishi: first start — loaded rule sets: ${report.loaded.join(', ') || '(none)'}`);
    if (report.adminPassword) console.log(`yishi: created user "admin" with password: ${report.adminPassword}  (shown once; set ADMIN_PASSWORD to choose it)`);
    if (report.demoAccounts.length) {
      console.warn(`yishi: WARNING demo accounts created (password "${DEMO_PASSWORD}"): ${report.demoAccounts.join(', ')}`);
      console.warn('yishi: WARNING delete them before real use; they are never created with NODE_ENV=production');
    }
  }
  app.server.listen(config.port, config.host, () => {
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    console.log(`yishi: listening on http://${config.host}:${port} (store ${config.store}, engine ${config.engine}, data ${config.dataDir})`);
  });
  const shutdown = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error('yishi: failed to start:', err);
  process.exit(1);
});
