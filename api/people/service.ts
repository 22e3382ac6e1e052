import { randomBytes } from 'node:crypto';
import { Op, type WhereOptions } from 'sequelize';
import { badRequest, conflict, notFound } from '../../domain/errors';
import type { Role } from '../../domain/roles';
import { hashPassword } from '../../infra/passwords';
import { Department, ServiceClient, User } from '../../models';
import { findByUsername } from '../auth/service';
import { keysetPage } from '../http/pagination';

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  email?: string | null | undefined;
  roles: Role[];
  departmentId?: string | null | undefined;
  managerId?: string | null | undefined;
}

export type UserChanges = Partial<Omit<NewUser, 'username'>> & { active?: boolean | undefined };

/** Users, departments and machine clients: the people behind tickets and approvals. */
export class PeopleService {
  async createUser(input: NewUser): Promise<User> {
    if (await findByUsername(input.username)) throw conflict(`Username ${input.username} is taken.`, 'username_taken');
    await this.checkReferences(input);
    const roles = [...new Set<Role>(['requester', ...input.roles])];
    return User.create({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName,
      email: input.email ?? null,
      roles,
      departmentId: input.departmentId ?? null,
      managerId: input.managerId ?? null,
      externalId: null,
    });
  }

  async updateUser(id: string, changes: UserChanges): Promise<User> {
    const user = await this.getUser(id);
    await this.checkReferences(changes, id);
    if (changes.password !== undefined) user.passwordHash = await hashPassword(changes.password);
    if (changes.displayName !== undefined) user.displayName = changes.displayName;
    if (changes.email !== undefined) user.email = changes.email;
    if (changes.roles !== undefined) user.roles = [...new Set<Role>(['requester', ...changes.roles])];
    if (changes.departmentId !== undefined) user.departmentId = changes.departmentId;
    if (changes.managerId !== undefined) user.managerId = changes.managerId;
    if (changes.active !== undefined) user.active = changes.active;
    return user.save();
  }

  async getUser(id: string): Promise<User> {
    const user = await User.findByPk(id);
    if (!user) throw notFound('User');
    return user;
  }

  listUsers(query: {
    limit: number;
    cursor?: string | undefined;
    role?: Role | undefined;
    departmentId?: string | undefined;
    q?: string | undefined;
  }) {
    const where: WhereOptions<User> = {};
    if (query.role) Object.assign(where, { roles: { [Op.contains]: [query.role] } });
    if (query.departmentId) Object.assign(where, { departmentId: query.departmentId });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      Object.assign(where, {
        [Op.or]: [
          { username: { [Op.iLike]: like } },
          { displayName: { [Op.iLike]: like } },
          { email: { [Op.iLike]: like } },
        ],
      });
    }
    return keysetPage(User, where, query);
  }

  async createDepartment(input: { name: string; headId?: string | null | undefined }): Promise<Department> {
    if (input.headId) await this.requireUser(input.headId, 'body.headId');
    return Department.create({ name: input.name, headId: input.headId ?? null });
  }

  async updateDepartment(
    id: string,
    changes: { name?: string | undefined; headId?: string | null | undefined },
  ): Promise<Department> {
    const dept = await this.getDepartment(id);
    if (changes.headId) await this.requireUser(changes.headId, 'body.headId');
    if (changes.name !== undefined) dept.name = changes.name;
    if (changes.headId !== undefined) dept.headId = changes.headId;
    return dept.save();
  }

  async getDepartment(id: string): Promise<Department> {
    const dept = await Department.findByPk(id);
    if (!dept) throw notFound('Department');
    return dept;
  }

  listDepartments(query: { limit: number; cursor?: string | undefined }) {
    return keysetPage(Department, {}, query);
  }

  /** Creates a machine client; the secret is returned once and only its hash is kept. */
  async createServiceClient(input: {
    name: string;
    userId: string;
  }): Promise<{ client: ServiceClient; secret: string }> {
    await this.requireUser(input.userId, 'body.userId');
    const secret = randomBytes(32).toString('base64url');
    const client = await ServiceClient.create({
      clientId: `svc_${randomBytes(9).toString('base64url')}`,
      secretHash: await hashPassword(secret),
      name: input.name,
      userId: input.userId,
    });
    return { client, secret };
  }

  listServiceClients(query: { limit: number; cursor?: string | undefined }) {
    return keysetPage(ServiceClient, {}, query);
  }

  private async checkReferences(
    input: { departmentId?: string | null | undefined; managerId?: string | null | undefined },
    selfId?: string,
  ) {
    if (input.departmentId && !(await Department.findByPk(input.departmentId))) {
      throw badRequest('The request is not valid.', [{ path: 'body.departmentId', message: 'no such department' }]);
    }
    if (input.managerId) {
      if (input.managerId === selfId)
        throw badRequest('The request is not valid.', [
          { path: 'body.managerId', message: 'a user cannot manage themselves' },
        ]);
      await this.requireUser(input.managerId, 'body.managerId');
      if (selfId && (await this.managesIndirectly(selfId, input.managerId))) {
        throw badRequest('The request is not valid.', [
          { path: 'body.managerId', message: 'this would make a management cycle' },
        ]);
      }
    }
  }

  /** Whether `userId` already appears in the management chain above `managerId` (a cycle if assigned). */
  private async managesIndirectly(userId: string, managerId: string): Promise<boolean> {
    const seen = new Set<string>();
    let current: string | null = managerId;
    while (current && !seen.has(current)) {
      if (current === userId) return true;
      seen.add(current);
      const next: User | null = await User.findByPk(current, { attributes: ['id', 'managerId'] });
      current = next?.managerId ?? null;
    }
    return false;
  }

  private async requireUser(id: string, path: string): Promise<void> {
    if (!(await User.findByPk(id, { attributes: ['id'] })))
      throw badRequest('The request is not valid.', [{ path, message: 'no such user' }]);
  }
}
