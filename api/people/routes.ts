import { idParams } from '../http/zod';
import { page } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import { presentDepartment, presentServiceClient, presentUser } from './presenter';
import {
  createDepartment,
  createServiceClient,
  createUser,
  department,
  listDepartmentsQuery,
  listUsersQuery,
  serviceClient,
  serviceClientWithSecret,
  updateDepartment,
  updateUser,
  user,
} from './schema';
import type { PeopleService } from './service';

/**
 * Users, departments and service clients. Changing them is for admins; every signed-in user can read the
 * directory (approvers pick delegates, requesters see who approves).
 */
export function peopleRoutes(routes: RouteBuilder, people: PeopleService): void {
  routes
    .route({
      method: 'post',
      path: '/users',
      roles: ['admin'],
      tags: ['People'],
      summary: 'Create a user',
      body: createUser,
      responses: { 201: { description: 'Created.', schema: user }, 409: { description: 'Username taken.' } },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = presentUser(await people.createUser(body));
      },
    })
    .route({
      method: 'get',
      path: '/users',
      tags: ['People'],
      summary: 'List users',
      query: listUsersQuery,
      responses: { 200: { description: 'A page of users.', schema: page(user) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await people.listUsers(query);
        ctx.body = { data: rows.map(presentUser), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/users/:id',
      tags: ['People'],
      summary: 'Get a user',
      params: idParams,
      responses: { 200: { description: 'The user.', schema: user }, 404: { description: 'No such user.' } },
      handler: async (ctx, { params }) => {
        ctx.body = presentUser(await people.getUser(params.id));
      },
    })
    .route({
      method: 'patch',
      path: '/users/:id',
      roles: ['admin'],
      tags: ['People'],
      summary: 'Change a user',
      description:
        'Roles, department, manager, password, or `active: false` to disable the account (its tokens stop working at once).',
      params: idParams,
      body: updateUser,
      responses: { 200: { description: 'The changed user.', schema: user }, 404: { description: 'No such user.' } },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentUser(await people.updateUser(params.id, body));
      },
    })
    .route({
      method: 'post',
      path: '/departments',
      roles: ['admin'],
      tags: ['People'],
      summary: 'Create a department',
      body: createDepartment,
      responses: { 201: { description: 'Created.', schema: department }, 409: { description: 'Name taken.' } },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = presentDepartment(await people.createDepartment(body));
      },
    })
    .route({
      method: 'get',
      path: '/departments',
      tags: ['People'],
      summary: 'List departments',
      query: listDepartmentsQuery,
      responses: { 200: { description: 'A page of departments.', schema: page(department) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await people.listDepartments(query);
        ctx.body = { data: rows.map(presentDepartment), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/departments/:id',
      tags: ['People'],
      summary: 'Get a department',
      params: idParams,
      responses: {
        200: { description: 'The department.', schema: department },
        404: { description: 'No such department.' },
      },
      handler: async (ctx, { params }) => {
        ctx.body = presentDepartment(await people.getDepartment(params.id));
      },
    })
    .route({
      method: 'patch',
      path: '/departments/:id',
      roles: ['admin'],
      tags: ['People'],
      summary: 'Rename a department or change its head',
      params: idParams,
      body: updateDepartment,
      responses: {
        200: { description: 'The changed department.', schema: department },
        404: { description: 'No such department.' },
      },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentDepartment(await people.updateDepartment(params.id, body));
      },
    })
    .route({
      method: 'post',
      path: '/service-clients',
      roles: ['admin'],
      tags: ['People'],
      summary: 'Create a machine client for the client_credentials grant',
      body: createServiceClient,
      responses: { 201: { description: 'Created; the secret is shown only here.', schema: serviceClientWithSecret } },
      handler: async (ctx, { body }) => {
        const { client, secret } = await people.createServiceClient(body);
        ctx.status = 201;
        ctx.body = { ...presentServiceClient(client), clientSecret: secret };
      },
    })
    .route({
      method: 'get',
      path: '/service-clients',
      roles: ['admin'],
      tags: ['People'],
      summary: 'List machine clients',
      query: listDepartmentsQuery,
      responses: { 200: { description: 'A page of clients.', schema: page(serviceClient) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await people.listServiceClients(query);
        ctx.body = { data: rows.map(presentServiceClient), nextCursor };
      },
    });
}
