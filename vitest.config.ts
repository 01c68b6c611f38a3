import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Workflow suites run real PowerShell runbook jobs (each a pwsh process) on two cores: allow for them.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration suites start servers on free ports; two cores in CI.
    maxWorkers: 2,
  },
});
