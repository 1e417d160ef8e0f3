// Picks the engine adapter the configuration names, as store/open.ts does for stores.
import type { Config } from '../config.js';
import type { Engine, ServiceHandler } from './index.js';
import { EmbeddedEngine } from './embedded/index.js';
import { ZeebeEngine } from './zeebe/index.js';

export function openEngine(config: Pick<Config, 'engine' | 'zeebeAddress' | 'zeebeExporterUrls' | 'zeebeExporterToken'>, handlers: Record<string, ServiceHandler>): Engine {
  if (config.engine === 'zeebe') return new ZeebeEngine({ address: config.zeebeAddress!, exporterUrls: config.zeebeExporterUrls, exporterToken: config.zeebeExporterToken!, handlers });
  return new EmbeddedEngine({ handlers });
}
