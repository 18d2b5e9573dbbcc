import { mergeConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.js';

export default mergeConfig(projectConfig('verify'), {
  test: { setupFiles: ['./test/support/setup.ts'] },
});
