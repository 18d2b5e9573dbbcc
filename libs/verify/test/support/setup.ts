import fc from 'fast-check';
import { runs } from './runs.js';

// Every property's default number of runs. On failure fast-check prints the seed and the path that replay it
// (`fc.assert(..., { seed, path })`); `verbose` adds the values it tried while shrinking.
fc.configureGlobal({ numRuns: runs(200), verbose: fc.VerbosityLevel.Verbose });
