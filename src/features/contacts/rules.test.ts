import { describe, expect, it } from 'vitest';
import { completeName, joinName, splitName } from './rules.ts';

describe('contact names', () => {
  it('splits Chinese names without a space into family and given name', () => {
    expect(splitName('张伟')).toEqual({ lastName: '张', firstName: '伟' });
    expect(splitName('欧阳娜娜')).toEqual({ lastName: '欧阳', firstName: '娜娜' });
    expect(splitName('王')).toEqual({ lastName: '王', firstName: null });
    expect(splitName('Anna Maria  Berg')).toEqual({ firstName: 'Anna Maria', lastName: 'Berg' });
    expect(splitName('Cher')).toEqual({ firstName: 'Cher', lastName: null });
  });
  it('joins parts in the order the name is written', () => {
    expect(joinName('伟', '张')).toBe('张伟');
    expect(joinName('Anna', 'Berg')).toBe('Anna Berg');
    expect(joinName(null, 'Berg')).toBe('Berg');
    expect(joinName('', '')).toBe('');
  });
  it('completes whichever side is missing, on create and on update', () => {
    expect(completeName({ fullName: '李明' }, null)).toEqual({ fullName: '李明', lastName: '李', firstName: '明' });
    expect(completeName({ firstName: 'Anna', lastName: 'Berg' }, null)).toEqual({ fullName: 'Anna Berg', firstName: 'Anna', lastName: 'Berg' });
    expect(completeName({}, null)).toBeNull();
    const current = { fullName: 'Anna Berg', firstName: 'Anna', lastName: 'Berg' };
    expect(completeName({ lastName: 'Lind' }, current)).toEqual({ fullName: 'Anna Lind', firstName: 'Anna', lastName: 'Lind' });
    expect(completeName({ fullName: 'Dr. Anna Berg', firstName: 'Anna' }, current)).toEqual({ fullName: 'Dr. Anna Berg', firstName: 'Anna', lastName: 'Berg' });
  });
});
