import type { Infra } from '../infra';

/** Everything an API app is built from. Tests pass the same real clients the entry points create. */
export type ApiDeps = Omit<Infra, 'close'>;
