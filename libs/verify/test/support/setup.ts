import fc from 'fast-check';
import { vi } from 'vitest';
import { runs } from './runs.js';

// Every property's default number of runs. On failure fast-check's message, which vitest prints whole, gives the
// seed and the path that replay the shrunk counterexample (`{ seed, path }` as options of test.prop or fc.assert).
fc.configureGlobal({ numRuns: runs(300) });
// More runs need more time than the default 5 s per test.
vi.setConfig({ testTimeout: Math.max(30_000, 100 * runs(300)) });
