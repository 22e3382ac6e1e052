import { idParams, page, z } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import { presentCalendar, presentChain } from './presenter';
import {
  calendar,
  calendarInput,
  chain,
  chainInput,
  chainVersionSummary,
  getChainQuery,
  listChainsQuery,
  listQuery,
} from './schema';
import type { ApprovalConfigService } from './service';

/**
 * Calendars and approval chains: admins write them; agents and approvers may read them (to explain why a
 * ticket waits where it does).
 */
export function approvalConfigRoutes(routes: RouteBuilder, service: ApprovalConfigService): void {
  const readers = ['admin', 'agent', 'approver'] as const;
  routes
    .route({
      method: 'post',
      path: '/calendars',
      roles: ['admin'],
      tags: ['Approval chains'],
      summary: 'Create a business calendar',
      description:
        'Working hours per weekday in the calendar’s time zone, and holidays. Approval and SLA durations count the working time of the chain’s calendar.',
      body: calendarInput,
      responses: { 201: { description: 'Created.', schema: calendar } },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = presentCalendar(await service.createCalendar(body));
      },
    })
    .route({
      method: 'get',
      path: '/calendars',
      roles: [...readers],
      tags: ['Approval chains'],
      summary: 'List calendars',
      query: listQuery,
      responses: { 200: { description: 'A page of calendars.', schema: page(calendar) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await service.listCalendars(query);
        ctx.body = { data: rows.map(presentCalendar), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/calendars/:id',
      roles: [...readers],
      tags: ['Approval chains'],
      summary: 'Get a calendar',
      params: idParams,
      responses: { 200: { description: 'The calendar.', schema: calendar }, 404: { description: 'No such calendar.' } },
      handler: async (ctx, { params }) => {
        ctx.body = presentCalendar(await service.getCalendar(params.id));
      },
    })
    .route({
      method: 'put',
      path: '/calendars/:id',
      roles: ['admin'],
      tags: ['Approval chains'],
      summary: 'Replace a calendar',
      description: 'Tickets already submitted keep the calendar they were submitted with.',
      params: idParams,
      body: calendarInput,
      responses: { 200: { description: 'The calendar.', schema: calendar }, 404: { description: 'No such calendar.' } },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentCalendar(await service.updateCalendar(params.id, body));
      },
    })
    .route({
      method: 'post',
      path: '/approval-chains',
      roles: ['admin'],
      tags: ['Approval chains'],
      summary: 'Create the approval chain of a ticket category',
      body: chainInput,
      responses: {
        201: { description: 'Created as version 1.', schema: chain },
        409: { description: 'The category already has a chain.' },
      },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = presentChain(await service.createChain(body, ctx.state.user.id));
      },
    })
    .route({
      method: 'get',
      path: '/approval-chains',
      roles: [...readers],
      tags: ['Approval chains'],
      summary: 'List approval chains (current versions)',
      query: listChainsQuery,
      responses: { 200: { description: 'A page of chains.', schema: page(chain) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await service.listChains(query);
        ctx.body = { data: rows.map(presentChain), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/approval-chains/:id',
      roles: [...readers],
      tags: ['Approval chains'],
      summary: 'Get an approval chain (current or a past version)',
      params: idParams,
      query: getChainQuery,
      responses: {
        200: { description: 'The chain.', schema: chain },
        404: { description: 'No such chain or version.' },
      },
      handler: async (ctx, { params, query }) => {
        ctx.body = presentChain(await service.getChain(params.id, query.version));
      },
    })
    .route({
      method: 'put',
      path: '/approval-chains/:id',
      roles: ['admin'],
      tags: ['Approval chains'],
      summary: 'Save a new version of an approval chain',
      description:
        'Every save is a new immutable version. Tickets already submitted keep running the version pinned at their submission.',
      params: idParams,
      body: chainInput,
      responses: { 200: { description: 'The new version.', schema: chain }, 404: { description: 'No such chain.' } },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentChain(await service.updateChain(params.id, body, ctx.state.user.id));
      },
    })
    .route({
      method: 'get',
      path: '/approval-chains/:id/versions',
      roles: [...readers],
      tags: ['Approval chains'],
      summary: 'List the versions of an approval chain',
      params: idParams,
      responses: { 200: { description: 'Newest first.', schema: z.object({ data: z.array(chainVersionSummary) }) } },
      handler: async (ctx, { params }) => {
        const versions = await service.listVersions(params.id);
        ctx.body = {
          data: versions.map((v) => ({
            version: v.version,
            createdAt: v.createdAt.toISOString(),
            createdBy: v.createdBy,
          })),
        };
      },
    });
}
