import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Real servers and workflow bundling are slow on 2 cores; these are limits, not targets.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
