import { z } from '../http/zod';

/** Token request: OAuth2 style, as form fields or JSON. Unknown grant types get `unsupported_grant_type`. */
export const tokenRequest = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('password'),
    username: z.string().min(1).max(200),
    password: z.string().min(1).max(1000),
    scope: z.string().optional(),
  }),
  z.object({
    grant_type: z.literal('refresh_token'),
    refresh_token: z.string().min(1).max(500),
    scope: z.string().optional(),
  }),
  z.object({
    grant_type: z.literal('client_credentials'),
    client_id: z.string().min(1).max(200),
    client_secret: z.string().min(1).max(1000),
    scope: z.string().optional(),
  }),
]);
export type TokenRequest = z.infer<typeof tokenRequest>;

export const tokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string().optional(),
  })
  .meta({ id: 'TokenResponse' });

export const oauthError = z
  .object({
    error: z.enum(['invalid_request', 'invalid_client', 'invalid_grant', 'unsupported_grant_type']),
    error_description: z.string().optional(),
  })
  .meta({ id: 'OAuthError' });

export const me = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    roles: z.array(z.string()),
    departmentId: z.uuid().nullable(),
    managerId: z.uuid().nullable(),
  })
  .meta({ id: 'Me' });
