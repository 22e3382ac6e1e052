import { MAX_CATEGORY_DEPTH, planCategoryMove, type CategoryPlace } from './knowledge';

// IT > Hardware > Printers, and a second root HR.
const it_: CategoryPlace = { id: 'it', ancestorIds: [], path: ['IT'] };
const hardware: CategoryPlace = { id: 'hw', ancestorIds: ['it'], path: ['IT', 'Hardware'] };
const printers: CategoryPlace = { id: 'pr', ancestorIds: ['it', 'hw'], path: ['IT', 'Hardware', 'Printers'] };
const hr: CategoryPlace = { id: 'hr', ancestorIds: [], path: ['HR'] };

/** A chain of `n` nested categories, the last one returned. */
const chain = (n: number): CategoryPlace => {
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  return { id: ids[n - 1]!, ancestorIds: ids.slice(0, -1), path: ids.map((id) => id.toUpperCase()) };
};

describe('planning a category rename or move', () => {
  it('moves under another parent: ancestors and path come from the new parent', () => {
    expect(planCategoryMove(hardware, { name: 'Hardware', parent: hr }, 1)).toEqual({
      ok: true,
      value: { ancestorIds: ['hr'], path: ['HR', 'Hardware'] },
    });
  });

  it('renames in place, and moves to the top level with no parent', () => {
    expect(planCategoryMove(printers, { name: '印表機', parent: hardware }, 0)).toEqual({
      ok: true,
      value: { ancestorIds: ['it', 'hw'], path: ['IT', 'Hardware', '印表機'] },
    });
    expect(planCategoryMove(printers, { name: 'Printers', parent: null }, 0)).toEqual({
      ok: true,
      value: { ancestorIds: [], path: ['Printers'] },
    });
  });

  it('refuses a move under itself or one of its descendants (409), at any depth', () => {
    for (const parent of [it_, hardware, printers]) {
      const outcome = planCategoryMove(it_, { name: 'IT', parent }, 2);
      expect(outcome).toMatchObject({ ok: false, code: 'category_cycle', status: 409 });
    }
    expect(planCategoryMove(hardware, { name: 'Hardware', parent: printers }, 1)).toMatchObject({
      code: 'category_cycle',
    });
    // Its own ancestors and unrelated branches are fine.
    expect(planCategoryMove(printers, { name: 'Printers', parent: it_ }, 0).ok).toBe(true);
    expect(planCategoryMove(hardware, { name: 'Hardware', parent: hr }, 1).ok).toBe(true);
  });

  it('counts the whole subtree against the depth limit (400)', () => {
    const deepest = chain(MAX_CATEGORY_DEPTH - 1);
    expect(planCategoryMove(hr, { name: 'HR', parent: deepest }, 0).ok).toBe(true);
    const tooDeep = planCategoryMove(hr, { name: 'HR', parent: deepest }, 1);
    expect(tooDeep).toMatchObject({ ok: false, code: 'category_too_deep', status: 400 });
    expect(tooDeep.ok === false && tooDeep.message).toContain(`at most ${MAX_CATEGORY_DEPTH} deep`);
    // A root with a subtree of the full height is still allowed at the top.
    expect(planCategoryMove(hr, { name: 'HR', parent: null }, MAX_CATEGORY_DEPTH - 1).ok).toBe(true);
    expect(planCategoryMove(hr, { name: 'HR', parent: null }, MAX_CATEGORY_DEPTH).ok).toBe(false);
  });
});
