import { Op } from 'sequelize';
import type { Principal } from '../../domain/roles';
import { decodeNumberCursor, encodeNumberCursor, offsetPage } from './cursor';
import { tagCountStatuses, visibleDocumentsWhere } from './policy';

const principal = (roles: Principal['roles']): Principal => ({
  id: 'u1',
  username: 'u1',
  roles,
  departmentId: null,
  managerId: null,
});

describe('document visibility as a query', () => {
  it('editors and admins see everything', () => {
    expect(visibleDocumentsWhere(principal(['knowledge_editor']))).toEqual({});
    expect(visibleDocumentsWhere(principal(['admin']))).toEqual({});
  });

  it('everyone else sees published documents and their own', () => {
    for (const roles of [['requester'], ['requester', 'agent'], ['approver']] as Principal['roles'][]) {
      expect(visibleDocumentsWhere(principal(roles))).toEqual({
        [Op.or]: [{ status: 'published' }, { authorId: 'u1' }],
      });
    }
  });

  it('tag counts cover what the caller can read (editors: all but archived)', () => {
    expect(tagCountStatuses(principal(['requester', 'agent']))).toEqual(['published']);
    expect(tagCountStatuses(principal(['knowledge_editor']))).toEqual(['draft', 'published']);
  });
});

describe('number cursors', () => {
  it('round-trips and rejects what the API did not issue', () => {
    expect(decodeNumberCursor(encodeNumberCursor(40))).toBe(40);
    expect(decodeNumberCursor(undefined)).toBeUndefined();
    expect(() => decodeNumberCursor('garbage')).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => decodeNumberCursor(Buffer.from('n:-1').toString('base64url'))).toThrow();
  });

  it('cuts the extra row and points at the next offset', () => {
    expect(offsetPage([1, 2, 3], 2, 10)).toEqual({ rows: [1, 2], nextCursor: encodeNumberCursor(12) });
    expect(offsetPage([1, 2], 2, 10)).toEqual({ rows: [1, 2], nextCursor: null });
  });
});
