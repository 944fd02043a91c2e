/**
 * Feedback import names products (issue #18): by code or by name in any translation, one or several per
 * row, an unknown, deleted or ambiguous product a row error; the products' word-of-mouth points suggested
 * on the imported text; the export writes the same columns and re-imports into another organization.
 * Real Chinese reviews (water heaters, tablets, phones) from the test corpus next to English ones, through
 * HTTP on both databases.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';

const ZIP = '/work/shared/testdata/sentiment/online_shopping_9_cats.zip';

/** Short real reviews of a category of the corpus (cat,label,review), the first n of each label; a handful written here when it is absent. */
function reviews(category: string, n: number, fallback: string[]): { text: string; positive: boolean }[] {
  if (!existsSync(ZIP)) return fallback.map((text, i) => ({ text, positive: i % 2 === 0 }));
  const lines = execFileSync('unzip', ['-p', ZIP], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8').split('\n');
  const out: { text: string; positive: boolean }[] = [];
  for (const label of ['1', '0']) {
    // Reviews without commas or quotes keep this CSV simple; the import's own quoting is tested elsewhere.
    out.push(...lines.filter((l) => l.startsWith(`${category},${label},`) && /^[^",\n]{8,60}$/.test(l.trim().split(',').slice(2).join(',')))
      .slice(0, n).map((l) => ({ text: l.split(',').slice(2).join(',').trim(), positive: label === '1' })));
  }
  return out;
}

describeEachDb('feedback import names products', (mode) => {
  const t = useTestApp(mode);
  const ids: Record<string, string> = {};
  const q = async (s: string, p: unknown[] = []) => (await t.database.query(s, p)).rows as Record<string, unknown>[];

  const product = async (user: typeof t.org.users.manager, payload: Record<string, unknown>) => {
    const r = await t.as(user, { method: 'POST', url: '/api/v1/products', payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string; version: number };
  };
  const importCsv = async (user: typeof t.org.users.admin, csv: string, qs = '') => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/imports?entity=feedback&wait=true${qs}`, headers: { authorization: `Bearer ${user.token}`, 'content-type': 'text/csv', 'x-filename': 'reviews.csv' }, payload: csv });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    const { manager } = t.org.users;
    ids.heater = (await product(manager, { code: 'WH-60', name: 'Water heater 60 L', nameI18n: { 'zh-CN': '电热水器60升', 'zh-TW': '電熱水器60升' } })).id;
    ids.tablet = (await product(manager, { code: 'TAB-10', name: 'Tablet 10"', nameI18n: { 'zh-CN': '平板电脑' } })).id;
    ids.phone = (await product(manager, { code: 'PH-5', name: 'Phone 5', nameI18n: { 'zh-CN': '手机5' } })).id;
    ids.panel = (await product(manager, { code: 'PNL-40', name: 'Panel light 60×60, 40 W' })).id;
    // Two products share a name: the name alone cannot say which.
    await product(manager, { code: 'CHG-A', name: 'Charger' });
    await product(manager, { code: 'CHG-B', name: 'Charger' });
    const gone = await product(manager, { code: 'OLD-1', name: 'Old heater' });
    expect((await t.as(manager, { method: 'DELETE', url: `/api/v1/products/${gone.id}`, headers: { 'if-match': String(gone.version) } })).statusCode).toBe(200);
    // A word-of-mouth point of the heater, to see the imported text tagged.
    const pt = await t.as(manager, { method: 'POST', url: '/api/v1/wom-points', payload: { productId: ids.heater, name: '加热速度', keywords: ['加热', '热水', 'heats'] } });
    expect(pt.statusCode, pt.body).toBe(201);
    ids.point = pt.json().id;
  });

  it('by code or any name, several per row; unknown, deleted and ambiguous products are row errors; points suggested; the export re-imports', async () => {
    const { admin, rep } = t.org.users;
    const heater = reviews('热水器', 6, ['加热很快，热水充足，安装师傅很专业', '用了一个月就漏水，加热也慢', '外观漂亮，加热速度快', '售后太差，热水器坏了没人管']);
    const tablet = reviews('平板', 4, ['屏幕清晰，运行流畅', '电池不耐用，充电慢']);
    const phone = reviews('手机', 3, ['手机拍照效果很好', '信号差，经常死机']);
    const rows: string[][] = [];
    const at = (i: number) => `2026-10-${String(1 + i).padStart(2, '0')}T09:30:00+08:00`;
    // Heater reviews named by the Chinese name; tablets by code; phones by two codes (the phone and the tablet they bought with it).
    heater.forEach((r, i) => rows.push([r.text, '', i % 2 ? '電熱水器60升' : '电热水器60升', r.positive ? '5' : '1', `买家${i}`, at(i)]));
    tablet.forEach((r, i) => rows.push([r.text, 'tab-10', '', r.positive ? '5' : '2', `平板用户${i}`, at(10 + i)]));
    phone.forEach((r, i) => rows.push([r.text, 'PH-5; TAB-10', '', r.positive ? '4' : '1', `手机用户${i}`, at(20 + i)]));
    rows.push(['The heater heats the water in ten minutes, very happy.', '', 'Water heater 60 L', '5', 'Tom', '2026-10-25T10:00:00Z']);
    // A name holding a comma, listed with another by semicolon; the code column wins over the name column.
    rows.push(['Even light, no flicker, and the heater is quiet.', '', 'Panel light 60×60, 40 W; water heater 60 l', '5', 'Ann', '2026-10-26T10:00:00Z']);
    rows.push(['Bought both, both fine.', 'WH-60', 'Charger', '4', 'Bo', '2026-10-27T10:00:00Z']);
    const good = rows.length;
    // Errors: an unknown code (with a known one), an unknown name, an ambiguous name, a deleted product.
    rows.push(['坏了', 'WH-60, XYZ-9', '', '1', '错误1', '2026-10-28T10:00:00Z']);
    rows.push(['Nice', '', 'Heater 3000', '5', 'err2', '2026-10-28T10:00:00Z']);
    rows.push(['Charges fast', '', 'Charger', '5', 'err3', '2026-10-28T10:00:00Z']);
    rows.push(['旧款也不错', 'OLD-1', '', '4', '错误4', '2026-10-28T10:00:00Z']);
    const csv = ['评价内容,产品编号,产品,评分,昵称,评价时间', ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n');

    const res = await importCsv(admin, csv);
    expect(res).toMatchObject({ inserted: good, errors: 4 });
    expect(res.errorRows.map((e: { line: number; field: string; message: string }) => [e.line - good - 1, e.field, e.message])).toEqual([
      [1, 'product_code', 'no product with code XYZ-9'],
      [2, 'product', 'no product with code or name Heater 3000'],
      [3, 'product', 'several products are named Charger: CHG-A, CHG-B (use product_code)'],
      [4, 'product_code', 'product OLD-1 is deleted'],
    ]);

    // Each feedback names exactly the products of its row.
    const named = await q(`select f.text, string_agg(p.code, ' ' order by p.code) as codes from feedback f
      join feedback_products fp on fp.org_id = f.org_id and fp.feedback_id = f.id join products p on p.org_id = fp.org_id and p.id = fp.product_id
      where f.org_id = $1 group by f.text`, [t.org.id]);
    const codes = new Map(named.map((r) => [r.text as string, r.codes as string]));
    for (const r of heater) expect(codes.get(r.text), r.text).toBe('WH-60');
    for (const r of tablet) expect(codes.get(r.text)).toBe('TAB-10');
    for (const r of phone) expect(codes.get(r.text)).toBe('PH-5 TAB-10');
    expect(codes.get('Even light, no flicker, and the heater is quiet.')).toBe('PNL-40 WH-60');
    expect(codes.get('Bought both, both fine.')).toBe('WH-60');
    expect(named.length).toBe(good);
    const byProduct = (await t.as(rep, { method: 'GET', url: `/api/v1/feedback?productIds=${ids.tablet}&limit=100` })).json().data;
    expect(byProduct.length).toBe(tablet.length + phone.length);

    // Every imported row is scored, and the heater's point is suggested where the text mentions heating.
    expect((await q(`select count(*)::int as n from feedback where org_id = $1 and sentiment is null`, [t.org.id]))[0]!.n).toBe(0);
    const tagged = await q(`select f.text, w.stance, w.status from feedback_wom w join feedback f on f.org_id = w.org_id and f.id = w.feedback_id
      where w.org_id = $1 and w.point_id = $2 order by f.text`, [t.org.id, ids.point]);
    const mentions = [...heater.map((r) => r.text), 'The heater heats the water in ten minutes, very happy.'].filter((x) => /加热|热水|heats/.test(x));
    expect(tagged.map((r) => r.text).sort()).toEqual(mentions.sort());
    expect(tagged.every((r) => r.status === 'suggested')).toBe(true);
    expect(tagged.find((r) => r.text === 'The heater heats the water in ten minutes, very happy.')!.stance).toBe('praise');

    // The export carries the products in the same columns: it re-imports, products and all, into another organization.
    const exp = await t.as(admin, { method: 'GET', url: '/api/v1/exports/feedback' });
    expect(exp.statusCode, exp.body).toBe(200);
    const out = parse(exp.body, { columns: true, bom: true }) as Record<string, string>[];
    const both = out.find((r) => r.text === 'Even light, no flicker, and the heater is quiet.')!;
    expect(both).toMatchObject({ product_code: 'PNL-40; WH-60', product: 'Panel light 60×60, 40 W; Water heater 60 L' });
    const other = t.other.users;
    for (const p of [{ code: 'WH-60', name: 'Water heater 60 L' }, { code: 'TAB-10', name: 'Tablet 10"' }, { code: 'PH-5', name: 'Phone 5' }, { code: 'PNL-40', name: 'Panel light 60×60, 40 W' }]) {
      await product(other.manager, p);
    }
    const again = await importCsv(other.admin, exp.body);
    expect(again).toMatchObject({ inserted: good, errors: 0, duplicates: 0 });
    const there = await q(`select f.text, string_agg(p.code, ' ' order by p.code) as codes from feedback f
      join feedback_products fp on fp.org_id = f.org_id and fp.feedback_id = f.id join products p on p.org_id = fp.org_id and p.id = fp.product_id
      where f.org_id = $1 group by f.text`, [t.other.id]);
    expect(new Map(there.map((r) => [r.text as string, r.codes as string]))).toEqual(codes);
    // Imported twice into the same organization: the rows are the feedback already there, nothing doubles.
    const twice = await importCsv(other.admin, exp.body);
    expect(twice).toMatchObject({ inserted: 0, duplicates: good });
  });

  it('a dry run resolves the products and writes nothing', async () => {
    const before = (await q(`select count(*)::int as n from feedback_products where org_id = $1`, [t.org.id]))[0]!.n;
    const res = await importCsv(t.org.users.admin, 'review,product_code,name\n"Dry run review",WH-60,x\n"bad",NOPE,y', '&dryRun=true');
    expect(res).toMatchObject({ inserted: 1, errors: 1, dryRun: true });
    expect((await q(`select count(*)::int as n from feedback_products where org_id = $1`, [t.org.id]))[0]!.n).toBe(before);
  });
});
