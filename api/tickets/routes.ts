import type { Middleware } from 'koa';
import { idParams, page } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import type { AppState } from '../http/state';
import { presentTicket } from './presenter';
import {
  assignInput,
  commentOnly,
  createTicket,
  decisionInput,
  delegationInput,
  listTicketsQuery,
  resolveInput,
  ticket,
  updateTicket,
} from './schema';
import type { TicketService } from './service';

const conflict = { 409: { description: 'The ticket is not in a state that allows this.' } };
const notFound = { 404: { description: 'No such ticket, or not yours to see.' } };

/** Tickets and every change of their status; approval decisions go to the ticket's workflow as Updates. */
export function ticketRoutes(routes: RouteBuilder, tickets: TicketService, idempotent: Middleware<AppState>): void {
  const idempotencyHeader =
    'Send `Idempotency-Key` to make retries safe: the same key and body answer the first response again.';
  routes
    .route({
      method: 'post',
      path: '/tickets',
      tags: ['Tickets'],
      summary: 'Create a ticket (optionally submitting it)',
      description: idempotencyHeader,
      body: createTicket,
      before: [idempotent],
      responses: { 201: { description: 'Created.', schema: ticket } },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = presentTicket(await tickets.create(ctx.state.user, body));
      },
    })
    .route({
      method: 'get',
      path: '/tickets',
      tags: ['Tickets'],
      summary: 'List the tickets the caller may see',
      description:
        'A requester sees their own tickets; an approver also those they are or were asked to approve; an agent those of their department or assigned to them; an admin all.',
      query: listTicketsQuery,
      responses: { 200: { description: 'Newest first.', schema: page(ticket) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await tickets.list(ctx.state.user, query);
        ctx.body = { data: rows.map((t) => presentTicket({ ticket: t, state: null })), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/tickets/:id',
      tags: ['Tickets'],
      summary: 'Get a ticket with its live approval and SLA state',
      params: idParams,
      responses: { 200: { description: 'The ticket.', schema: ticket }, ...notFound },
      handler: async (ctx, { params }) => {
        ctx.body = presentTicket(await tickets.get(ctx.state.user, params.id));
      },
    })
    .route({
      method: 'patch',
      path: '/tickets/:id',
      tags: ['Tickets'],
      summary: 'Edit a draft or returned ticket (requester)',
      params: idParams,
      body: updateTicket,
      responses: { 200: { description: 'The ticket.', schema: ticket }, ...notFound, ...conflict },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentTicket(await tickets.update(ctx.state.user, params.id, body));
      },
    })
    .route({
      method: 'post',
      path: '/tickets/:id/submit',
      tags: ['Tickets'],
      summary: 'Submit a draft, or resubmit a returned ticket',
      description: `Starts the approval workflow with the chain version current now (a returned ticket continues at the step that returned it). ${idempotencyHeader}`,
      params: idParams,
      before: [idempotent],
      responses: {
        200: { description: 'pending_approval, or approved when the category has no chain.', schema: ticket },
        ...notFound,
        ...conflict,
      },
      handler: async (ctx, { params }) => {
        ctx.body = presentTicket(await tickets.submit(ctx.state.user, params.id));
      },
    })
    .route({
      method: 'post',
      path: '/tickets/:id/decisions',
      tags: ['Approvals'],
      summary: 'Approve, reject or return the current step',
      description: `Answers once the workflow accepted the decision. 403 when the caller is not a current approver (or their delegate); 409 when already decided or not pending. ${idempotencyHeader}`,
      params: idParams,
      body: decisionInput,
      before: [idempotent],
      responses: {
        200: { description: 'The ticket with the updated approval.', schema: ticket },
        ...notFound,
        ...conflict,
      },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentTicket(await tickets.decide(ctx.state.user, params.id, body));
      },
    })
    .route({
      method: 'post',
      path: '/tickets/:id/delegations',
      tags: ['Approvals'],
      summary: 'Hand a pending approval to someone else',
      description: 'By a current approver; with `until`, the delegation reverts by itself.',
      params: idParams,
      body: delegationInput,
      responses: { 200: { description: 'The ticket.', schema: ticket }, ...notFound, ...conflict },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentTicket(await tickets.delegate(ctx.state.user, params.id, body));
      },
    });

  const action = (name: 'cancel' | 'close' | 'reopen', summary: string) =>
    routes.route({
      method: 'post',
      path: `/tickets/:id/${name}`,
      tags: ['Tickets'],
      summary,
      params: idParams,
      body: commentOnly,
      bodyOptional: true,
      responses: { 200: { description: 'The ticket.', schema: ticket }, ...notFound, ...conflict },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentTicket(await tickets.act(ctx.state.user, params.id, { action: name, comment: body.comment }));
      },
    });
  action('cancel', 'Cancel a ticket (requester, agent or admin)');
  action('close', 'Close a ticket (agent or admin; the requester their own)');
  action('reopen', 'Reopen a ticket (agent or admin; the requester their own)');

  routes
    .route({
      method: 'post',
      path: '/tickets/:id/assign',
      tags: ['Tickets'],
      summary: 'Assign an approved ticket to an agent (agent or admin)',
      params: idParams,
      body: assignInput,
      responses: { 200: { description: 'The ticket.', schema: ticket }, ...notFound, ...conflict },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentTicket(
          await tickets.act(ctx.state.user, params.id, {
            action: 'assign',
            assigneeId: body.assigneeId,
            comment: body.comment,
          }),
        );
      },
    })
    .route({
      method: 'post',
      path: '/tickets/:id/resolve',
      tags: ['Tickets'],
      summary: 'Resolve a ticket (agent or admin)',
      params: idParams,
      body: resolveInput,
      responses: { 200: { description: 'The ticket.', schema: ticket }, ...notFound, ...conflict },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentTicket(
          await tickets.act(ctx.state.user, params.id, { action: 'resolve', resolution: body.resolution }),
        );
      },
    });
}
