import { mergeConfig } from 'vitest/config';

import { projectConfig } from '../../vitest.shared.js';

// The CLI tests run child processes (about half a second each, more with mathjs) on a shared 2-core machine: the
// default 5 s per test is too tight when every project's tests run at once. This is a hang guard, not a speed test.
export default mergeConfig(projectConfig('demo'), { test: { testTimeout: 60_000, hookTimeout: 60_000 } });
