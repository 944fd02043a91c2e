/** A team file's rows (CSV records, header first) as team members; pure, shared by the CLI and the web app. */
import { normalizeHeader } from '../imports/rules.ts';

const COLUMNS: Record<'name' | 'email' | 'team' | 'department' | 'role', string[]> = {
  name: ['name', 'full name', 'agent', 'sales agent', 'user', 'owner', 'employee', '姓名', '名字', '销售', '銷售', '业务员', '業務員'],
  email: ['email', 'e-mail', 'mail', 'email address', '邮箱', '郵箱', '电子邮件', '電子郵件'],
  team: ['team', 'office', 'regional office', 'region', 'manager team', '团队', '團隊', '办事处', '辦事處', '区域', '區域'],
  department: ['department', 'dept', '部门', '部門'],
  role: ['role', '角色'],
};

export function teamFileRows(records: string[][]): Record<string, string>[] {
  const [head = [], ...rows] = records;
  const index: Partial<Record<keyof typeof COLUMNS, number>> = {};
  head.forEach((h, i) => {
    const n = normalizeHeader(h);
    for (const [field, names] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string[]][]) {
      if (index[field] === undefined && names.some((x) => normalizeHeader(x) === n)) index[field] = i;
    }
  });
  return rows
    .filter((r) => r.some((c) => c.trim() !== ''))
    .map((r) => Object.fromEntries(Object.entries(index).flatMap(([field, i]) => {
      const v = (r[i] ?? '').trim();
      return v ? [[field, field === 'role' ? v.toLowerCase() : v]] : [];
    })));
}
