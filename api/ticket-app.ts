import type Koa from 'koa';
import { approvalConfigRoutes } from './approvals/routes';
import { ApprovalConfigService } from './approvals/service';
import { meRoutes, tokenRoutes } from './auth/routes';
import { idempotency } from './middleware/idempotency';
import { ticketActivityRoutes } from './tickets/activity-routes';
import { CollaborationService } from './tickets/collaboration';
import { ticketRoutes } from './tickets/routes';
import { TicketService } from './tickets/service';
import { TicketWorkflows } from './tickets/workflow-client';
import { createApp } from './create-app';
import type { ApiDeps } from './deps';
import type { AppState } from './http/state';
import { peopleRoutes } from './people/routes';
import { PeopleService } from './people/service';

/** The Ticket API (port 8000): auth, people, and (next) tickets and approvals. No `listen` here. */
export function createTicketApp(deps: ApiDeps): Koa<AppState> {
  return createApp(
    deps,
    {
      title: 'Ticket API',
      description: 'Tickets, approval chains run as Temporal workflows, SLAs and the people behind them.',
      readiness: [deps.db, deps.cache, deps.temporal, deps.kafka, deps.storage],
    },
    ({ routes, auth, deps }) => {
      const people = new PeopleService();
      tokenRoutes(routes, auth);
      meRoutes(routes, people);
      peopleRoutes(routes, people);
      const approvals = new ApprovalConfigService();
      approvalConfigRoutes(routes, approvals);
      const tickets = new TicketService(new TicketWorkflows(deps.temporal), approvals);
      ticketRoutes(routes, tickets, idempotency(deps.cache));
      ticketActivityRoutes(routes, tickets, new CollaborationService(tickets, deps.storage), deps.config.UPLOAD_LIMIT);
    },
  );
}
