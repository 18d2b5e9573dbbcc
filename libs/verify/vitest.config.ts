import { mergeConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.js';

export default mergeConfig(projectConfig('verify'), {
  test: {
    setupFiles: ['./test/support/setup.ts'],
    // Importing @fast-check/vitest costs seconds (it walks every chain of test modifiers); without isolation each
    // worker pays once instead of once per property file. The tests share no mutable state.
    isolate: false,
  },
});
