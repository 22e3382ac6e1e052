import type { ParameterizedContext } from 'koa';
import type { Principal } from '../../domain/roles';
import type { Logger } from '../../infra/logger';

/** What middleware puts on `ctx.state`. */
export interface AppState {
  requestId: string;
  log: Logger;
  /** Set by `authenticate` on every route that is not public. */
  user: Principal;
  /** Validated input of the matched route, set by the route builder. */
  input?: unknown;
}

export type AppContext = ParameterizedContext<AppState>;
