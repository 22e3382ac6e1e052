/**
 * Integration tests use the native stack's servers but their own database, bucket, index prefix and
 * task queue, so they never touch a developer's data. Any of these can be overridden from outside.
 */
const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://tk:tk@127.0.0.1:5432/tk_test',
  S3_BUCKET: 'tk-test-files',
  SEARCH_INDEX_PREFIX: 'tk-test',
  TEMPORAL_TASK_QUEUE: 'tk-test',
  KAFKA_CLIENT_ID: 'tk-test',
  LOGIN_MAX_ATTEMPTS: '5',
};
for (const [name, value] of Object.entries(defaults)) {
  if (name === 'DATABASE_URL' || process.env[name] === undefined) process.env[name] = value;
}
