/** Roles of API.md. Every user can request; the others add capabilities. */
export const ROLES = ['requester', 'approver', 'agent', 'knowledge_editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** The identity a request acts as, after authentication. */
export interface Principal {
  id: string;
  username: string;
  roles: Role[];
  departmentId: string | null;
  managerId: string | null;
}

export const hasRole = (principal: Pick<Principal, 'roles'>, ...roles: Role[]): boolean =>
  roles.some((r) => principal.roles.includes(r));
