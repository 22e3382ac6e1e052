import type { Department, ServiceClient, User } from '../../models';

export const presentUser = (u: User) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  email: u.email,
  roles: u.roles,
  departmentId: u.departmentId,
  managerId: u.managerId,
  active: u.active,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

export const presentMe = (u: User) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  email: u.email,
  roles: u.roles,
  departmentId: u.departmentId,
  managerId: u.managerId,
});

export const presentDepartment = (d: Department) => ({
  id: d.id,
  name: d.name,
  headId: d.headId,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

export const presentServiceClient = (c: ServiceClient) => ({
  id: c.id,
  clientId: c.clientId,
  name: c.name,
  userId: c.userId,
  active: c.active,
  createdAt: c.createdAt.toISOString(),
});
