import type { QueryInterface } from 'sequelize';
import * as m20261203130000 from './20261203130000-users-and-auth';
import * as m20261203140000 from './20261203140000-tickets-and-approvals';
import * as m20261203150000 from './20261203150000-knowledge';
import * as m20261203160000 from './20261203160000-knowledge-review';

type Step = (params: { context: QueryInterface }) => Promise<void>;

/**
 * Every migration in order. Listed explicitly (rather than globbed) so the same list runs from
 * TypeScript sources, compiled JavaScript and the Docker image alike.
 */
export const MIGRATIONS: { name: string; up: Step; down: Step }[] = [
  { name: '20261203130000-users-and-auth', ...m20261203130000 },
  { name: '20261203140000-tickets-and-approvals', ...m20261203140000 },
  { name: '20261203150000-knowledge', ...m20261203150000 },
  { name: '20261203160000-knowledge-review', ...m20261203160000 },
];
