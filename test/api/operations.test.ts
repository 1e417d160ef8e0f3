// The approval operations on the SQLite store (see operations.suite.ts).
import { operationsSuite } from './operations.suite.js';

operationsSuite(() => ({}));
