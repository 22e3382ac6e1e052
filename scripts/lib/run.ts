import { ConfigError, loadConfig, type Config } from '../../infra/config';

/**
 * Runs a process entry point: loads configuration (a bad value exits with code 2 and a message naming
 * the variable), runs `main`, and calls the cleanup it returns on SIGINT/SIGTERM.
 */
export function runMain(name: string, main: (config: Config) => Promise<(() => Promise<void>) | void>): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  main(config).then(
    (cleanup) => {
      if (!cleanup) return;
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${name}: ${signal}, shutting down\n`);
        const force = setTimeout(() => process.exit(1), 15_000);
        force.unref();
        cleanup().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`${name}: error during shutdown: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    },
    (err: unknown) => {
      process.stderr.write(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
