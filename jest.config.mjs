/** Jest 30 + ts-jest in ESM mode (run under node --experimental-vm-modules, see package.json "test"). */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    // What runs outside jest's module graph (a worker thread's file, a script for the browser) is the built file, as
    // the package's `imports` map resolves it at run time (`npm test` builds first).
    '^#src/(.+\\.worker|.+/browser/.+)\\.js$': '<rootDir>/dist/src/$1.js',
    '^#src/(.*)\\.js$': '<rootDir>/src/$1',
    '^#migrations/(.*)\\.js$': '<rootDir>/migrations/$1',
    '^#test/(.*)\\.js$': '<rootDir>/test/$1',
  },
  // tsconfig has isolatedModules: ts-jest transpiles file by file (type checking is `npm run typecheck`).
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
};

export default {
  // Per-project testTimeout is not honoured by Jest 30; e2e suites boot whole apps.
  testTimeout: 60_000,
  // Test files run in a worker that is replaced once it holds more than this after a file: in one process (jest's
  // choice for one worker, as on 2 cores) every file's ESM module graph and booted app stay reachable, and the full
  // run ran out of heap. Setting a limit makes jest use a worker even when there is one.
  workerIdleMemoryLimit: '1GB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
    },
  ],
};
