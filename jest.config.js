/**
 * Three projects, told apart by file name:
 *  - unit:         *.test.ts        pure code, no servers
 *  - workflows:    *.workflow.test.ts  Temporal's time-skipping test server with fake activities
 *  - integration:  *.int.test.ts    the real stack (PostgreSQL, Redis, Kafka, OpenSearch, S3, Temporal)
 */
const tsJest = ['ts-jest', { diagnostics: false }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.stack/'],
};

module.exports = {
  // Workflow and integration tests bundle workflow code and talk to real servers: the first bundle in a
  // fresh clone takes several seconds. (testTimeout is a global option; per project it is ignored.)
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.workflow\\.test\\.ts$', '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'workflows',
      testMatch: ['<rootDir>/**/*.workflow.test.ts'],
      setupFiles: ['<rootDir>/test/quiet-temporal.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/integration-global-setup.ts',
      setupFiles: ['<rootDir>/test/integration-env.ts', '<rootDir>/test/quiet-temporal.ts'],
    },
  ],
};
