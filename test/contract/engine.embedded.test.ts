import { EmbeddedEngine } from '../../server/engine/embedded/index.js';
import { engineContract, handlers } from './engine.contract.js';

engineContract('embedded', () => new EmbeddedEngine({ handlers }));
