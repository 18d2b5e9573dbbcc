import fc from 'fast-check';
import { vi } from 'vitest';
import { runs, seed } from './runs.js';

// Every property of this file starts from one seed, printed here (vitest shows it under the file's name), and
// test.prop adds it to each property's name. On failure fast-check's message, which vitest prints whole, gives the
// seed and the path that replay the shrunk counterexample (`{ seed, path }` as options of test.prop or fc.assert);
// VERIFY_SEED=<seed> replays the whole file, VERIFY_SEED=random explores a fresh seed.
const fileSeed = seed();
fc.configureGlobal({ numRuns: runs(300), seed: fileSeed });
process.stdout.write(`fast-check seed ${fileSeed} (replay with VERIFY_SEED=${fileSeed})\n`);
// More runs need more time than the shared 60 s budget per test (a hang guard sized for a loaded machine).
vi.setConfig({ testTimeout: Math.max(60_000, 200 * runs(300)) });
