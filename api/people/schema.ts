import { ROLES } from '../../domain/roles';
import { pageQuery, z } from '../http/zod';

const role = z.enum(ROLES);
const username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only');
const password = z.string().min(10, 'at least 10 characters').max(200);

export const createUser = z.strictObject({
  username,
  password,
  displayName: z.string().trim().min(1).max(200),
  email: z.email().max(320).nullish(),
  roles: z.array(role).max(ROLES.length).default(['requester']),
  departmentId: z.uuid().nullish(),
  managerId: z.uuid().nullish(),
});

export const updateUser = z
  .strictObject({
    password: password.optional(),
    displayName: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).nullable().optional(),
    roles: z.array(role).max(ROLES.length).optional(),
    departmentId: z.uuid().nullable().optional(),
    managerId: z.uuid().nullable().optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');

export const listUsersQuery = z.strictObject({
  ...pageQuery,
  role: role.optional(),
  departmentId: z.uuid().optional(),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Matches username, display name or email.' }),
});

export const user = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    roles: z.array(role),
    departmentId: z.uuid().nullable(),
    managerId: z.uuid().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });

export const createDepartment = z.strictObject({
  name: z.string().trim().min(1).max(200),
  headId: z.uuid().nullish(),
});
export const updateDepartment = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), headId: z.uuid().nullable().optional() })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');

export const department = z
  .object({ id: z.uuid(), name: z.string(), headId: z.uuid().nullable(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Department' });

export const listDepartmentsQuery = z.strictObject({ ...pageQuery });

export const createServiceClient = z.strictObject({
  name: z.string().trim().min(1).max(200),
  userId: z.uuid().openapi({ description: 'The user the client acts as; its roles apply.' }),
});
export const serviceClient = z
  .object({
    id: z.uuid(),
    clientId: z.string(),
    name: z.string(),
    userId: z.uuid(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'ServiceClient' });
export const serviceClientWithSecret = serviceClient
  .extend({ clientSecret: z.string().openapi({ description: 'Shown once; store it now.' }) })
  .meta({ id: 'ServiceClientWithSecret' });
