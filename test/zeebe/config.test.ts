// Zeebe mode's configuration: the exporter's records hold the cases' data, so the server does not
// start without the token the exporter is configured with.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { tempDir } from '../support/server.js';

const base = () => ({ DATA_DIR: tempDir(), ENGINE: 'zeebe', ZEEBE_ADDRESS: '127.0.0.1:26500' });

describe('ENGINE=zeebe configuration', () => {
  it('refuses to start without ZEEBE_EXPORTER_TOKEN, or with one too short to be a secret', () => {
    expect(() => loadConfig(base())).toThrow(ConfigError);
    expect(() => loadConfig(base())).toThrow(/ZEEBE_EXPORTER_TOKEN/);
    expect(() => loadConfig({ ...base(), ZEEBE_EXPORTER_TOKEN: 'short' })).toThrow(/at least 16/);
  });

  it('takes the token and the exporters to pull from', () => {
    const config = loadConfig({ ...base(), ZEEBE_EXPORTER_TOKEN: 'a-token-of-24-characters', ZEEBE_EXPORTER_URL: 'http://b1:9650, http://b2:9650' });
    expect(config).toMatchObject({ zeebeExporterToken: 'a-token-of-24-characters', zeebeExporterUrls: ['http://b1:9650', 'http://b2:9650'] });
  });
});
