/**
 * The demo maker's catalogue (issue #16): LED series with models, specifications and certifications,
 * price lists in USD, EUR and CNY with volume tiers, and product lines on its deals and orders that
 * match what each deal and order names ("LED street lights — …", "2×40HQ Downlights"). All set-based SQL.
 */
import type { Conn } from '../../kernel/db/index.ts';
import { EUR_USD, PRODUCTS } from './data.ts';

type L = [en: string, zhCN: string, zhTW: string];

/** Series = product_line terms; `family` is the demo's product family (data.ts PRODUCTS) whose deals they price. */
const SERIES: { key: string; label: L; family: number }[] = [
  { key: 'panel', label: ['LED panel series', 'LED面板灯系列', 'LED面板燈系列'], family: 0 },
  { key: 'high_bay', label: ['High-bay series', '工矿灯系列', '工礦燈系列'], family: 1 },
  { key: 'track', label: ['Track spotlight series', '轨道射灯系列', '軌道投射燈系列'], family: 2 },
  { key: 'street_light', label: ['Street-light series', '路灯系列', '路燈系列'], family: 3 },
  { key: 'flood', label: ['Flood-light series', '投光灯系列', '投光燈系列'], family: 4 },
  { key: 'downlight', label: ['Downlight series', '筒灯系列', '筒燈系列'], family: 5 },
  { key: 'strip', label: ['LED strip series', 'LED灯带系列', 'LED燈帶系列'], family: 6 },
  { key: 'controls', label: ['Lighting controls', '照明控制', '照明控制'], family: 7 },
  { key: 'emergency', label: ['Emergency lighting', '应急照明', '緊急照明'], family: 8 },
  { key: 'tri_proof', label: ['Tri-proof series', '三防灯系列', '三防燈系列'], family: 9 },
  { key: 'solar', label: ['Solar series', '太阳能系列', '太陽能系列'], family: 10 },
  { key: 'filament', label: ['Filament bulb series', '灯丝灯泡系列', '燈絲燈泡系列'], family: 11 },
];

type Model = { code: string; series: string; name: L; unit?: string; usd: number; watt?: number; lumen?: number; ip?: string; certs: string[]; lifecycle?: 'new' | 'current' | 'phased_out'; firstOfKind?: boolean };

const MODELS: Model[] = [
  { code: 'PNL-6060-40', series: 'panel', name: ['LED panel 600×600 40W', 'LED面板灯 600×600 40W', 'LED面板燈 600×600 40W'], usd: 18.5, watt: 40, lumen: 4000, ip: 'IP40', certs: ['CE', 'RoHS', 'TÜV'] },
  { code: 'PNL-3012-36', series: 'panel', name: ['LED panel 300×1200 36W', 'LED面板灯 300×1200 36W', 'LED面板燈 300×1200 36W'], usd: 21, watt: 36, lumen: 3600, ip: 'IP40', certs: ['CE', 'RoHS', 'UL'] },
  { code: 'PNL-BL-6060-UGR', series: 'panel', name: ['Backlit panel 600×600 36W UGR<19', '直下式面板灯 600×600 36W 防眩UGR<19', '直下式面板燈 600×600 36W 防眩UGR<19'], usd: 26, watt: 36, lumen: 4300, ip: 'IP40', certs: ['CE', 'RoHS', 'ENEC', 'DLC'] },
  { code: 'HB-UFO-150', series: 'high_bay', name: ['UFO high-bay 150W', 'UFO工矿灯 150W', 'UFO工礦燈 150W'], usd: 68, watt: 150, lumen: 22500, ip: 'IP65', certs: ['CE', 'RoHS', 'UL', 'DLC'] },
  { code: 'HB-LIN-200', series: 'high_bay', name: ['Linear high-bay 200W', '线性工矿灯 200W', '線性工礦燈 200W'], usd: 92, watt: 200, lumen: 30000, ip: 'IP65', certs: ['CE', 'RoHS', 'DLC'] },
  { code: 'TR-30-CRI95', series: 'track', name: ['Track spotlight 30W CRI 95', '轨道射灯 30W 显色指数95', '軌道投射燈 30W 演色性95'], usd: 14.5, watt: 30, lumen: 2700, ip: 'IP20', certs: ['CE', 'RoHS', 'SAA'] },
  { code: 'TR-15-ZOOM', series: 'track', name: ['Zoom track spotlight 15W', '变焦轨道射灯 15W', '變焦軌道投射燈 15W'], usd: 17.8, watt: 15, lumen: 1350, ip: 'IP20', certs: ['CE', 'RoHS'] },
  { code: 'ST-M-100', series: 'street_light', name: ['Modular street light 100W', '模组路灯 100W', '模組路燈 100W'], usd: 96, watt: 100, lumen: 16000, ip: 'IP66', certs: ['CE', 'RoHS', 'CB', 'ENEC'] },
  { code: 'ST-M-150', series: 'street_light', name: ['Modular street light 150W', '模组路灯 150W', '模組路燈 150W'], usd: 128, watt: 150, lumen: 24000, ip: 'IP66', certs: ['CE', 'RoHS', 'CB', 'ENEC'] },
  { code: 'ST-SOL-60-RADAR', series: 'street_light', name: ['Solar street light 60W with radar sensor', '雷达感应太阳能路灯 60W', '雷達感應太陽能路燈 60W'], usd: 145, watt: 60, lumen: 9000, ip: 'IP66', certs: ['CE', 'RoHS'], lifecycle: 'new', firstOfKind: true },
  { code: 'FL-100', series: 'flood', name: ['Flood light 100W', '投光灯 100W', '投光燈 100W'], usd: 32, watt: 100, lumen: 13000, ip: 'IP66', certs: ['CE', 'RoHS', 'SAA'] },
  { code: 'FL-200', series: 'flood', name: ['Flood light 200W', '投光灯 200W', '投光燈 200W'], usd: 54, watt: 200, lumen: 26000, ip: 'IP66', certs: ['CE', 'RoHS', 'SAA'] },
  { code: 'DL-12-3CCT', series: 'downlight', name: ['Downlight 12W, 3 colour temperatures', '三色温筒灯 12W', '三色溫筒燈 12W'], usd: 4.2, watt: 12, lumen: 1100, ip: 'IP44', certs: ['CE', 'RoHS', 'SAA'] },
  { code: 'DL-20-AG', series: 'downlight', name: ['Anti-glare downlight 20W', '防眩筒灯 20W', '防眩筒燈 20W'], usd: 7.8, watt: 20, lumen: 1900, ip: 'IP44', certs: ['CE', 'RoHS', 'ENEC'] },
  { code: 'DL-7-2019', series: 'downlight', name: ['Downlight 7W (2019 series)', '筒灯 7W（2019款）', '筒燈 7W（2019款）'], usd: 2.9, watt: 7, lumen: 560, ip: 'IP20', certs: ['CE'], lifecycle: 'phased_out' },
  { code: 'STR-2835-60', series: 'strip', name: ['LED strip 2835, 60 LED/m, 5 m reel', 'LED灯带 2835 60珠/米 5米卷', 'LED燈帶 2835 60珠/米 5米捲'], unit: 'reel', usd: 9.6, watt: 24, lumen: 2200, ip: 'IP20', certs: ['CE', 'RoHS'] },
  { code: 'STR-COB-IP67', series: 'strip', name: ['COB strip IP67, 5 m reel', 'COB防水灯带 IP67 5米卷', 'COB防水燈帶 IP67 5米捲'], unit: 'reel', usd: 16.4, watt: 50, lumen: 4500, ip: 'IP67', certs: ['CE', 'RoHS', 'UL'] },
  { code: 'CTL-DALI2-GW', series: 'controls', name: ['DALI-2 gateway', 'DALI-2 网关', 'DALI-2 閘道器'], usd: 120, ip: 'IP20', certs: ['CE', 'DALI-2'] },
  { code: 'CTL-MW-SENSOR', series: 'controls', name: ['Microwave motion sensor', '微波感应器', '微波感應器'], usd: 6.4, ip: 'IP20', certs: ['CE', 'RoHS'] },
  { code: 'EM-KIT-3H', series: 'emergency', name: ['Emergency kit, 3 hours', '应急电源 3小时', '緊急電源 3小時'], usd: 11, ip: 'IP20', certs: ['CE', 'RoHS'] },
  { code: 'EM-EXIT-SIGN', series: 'emergency', name: ['LED exit sign', 'LED安全出口指示灯', 'LED安全出口指示燈'], usd: 8.5, watt: 3, ip: 'IP20', certs: ['CE', 'RoHS'] },
  { code: 'TP-1500-50', series: 'tri_proof', name: ['Tri-proof batten 1500 mm 50W', '三防灯 1500毫米 50W', '三防燈 1500毫米 50W'], usd: 13.8, watt: 50, lumen: 6500, ip: 'IP65', certs: ['CE', 'RoHS', 'ENEC'] },
  { code: 'SOL-GL-10', series: 'solar', name: ['Solar garden light 10W', '太阳能庭院灯 10W', '太陽能庭院燈 10W'], usd: 19, watt: 10, lumen: 1200, ip: 'IP65', certs: ['CE', 'RoHS'] },
  { code: 'FIL-A60-6', series: 'filament', name: ['Filament bulb A60 6W', '灯丝灯泡 A60 6W', '燈絲燈泡 A60 6W'], usd: 0.95, watt: 6, lumen: 806, ip: 'IP20', certs: ['CE', 'RoHS', 'ERP'] },
  { code: 'FIL-ST64-4-DIM', series: 'filament', name: ['Dimmable filament bulb ST64 4W', '可调光灯丝灯泡 ST64 4W', '可調光燈絲燈泡 ST64 4W'], usd: 1.6, watt: 4, lumen: 470, ip: 'IP20', certs: ['CE', 'RoHS', 'ERP'] },
];

/** Local-currency list prices: EUR lists carry the European certification and freight premium, CNY is ex-works. */
const LISTS = [
  { currency: 'USD', name: ['Export price list (USD)', '出口价目表（美元）'], factor: 1 },
  { currency: 'EUR', name: ['Europe price list (EUR)', '欧洲价目表（欧元）'], factor: 1.03 / EUR_USD },
  { currency: 'CNY', name: ['Domestic price list (CNY)', '国内价目表（人民币）'], factor: 7.1 },
];
/** Volume tiers: from 1, 500 and 5,000 units, 0 %, 5 % and 10 % off. */
const TIERS = [[1, 1], [500, 0.95], [5000, 0.9]] as const;

const SPEC_FIELDS = [
  { key: 'wattage', label: { en: 'Power (W)', 'zh-CN': '功率（W）', 'zh-TW': '功率（W）' }, type: 'number', options: [] as string[] },
  { key: 'luminous_flux', label: { en: 'Luminous flux (lm)', 'zh-CN': '光通量（lm）', 'zh-TW': '光通量（lm）' }, type: 'number', options: [] },
  { key: 'ip_rating', label: { en: 'IP rating', 'zh-CN': '防护等级', 'zh-TW': '防護等級' }, type: 'select', options: ['IP20', 'IP40', 'IP44', 'IP65', 'IP66', 'IP67'] },
  { key: 'certifications', label: { en: 'Certifications', 'zh-CN': '认证', 'zh-TW': '認證' }, type: 'multiselect', options: ['CE', 'RoHS', 'UL', 'DLC', 'TÜV', 'ENEC', 'CB', 'SAA', 'ERP', 'DALI-2'] },
];

/**
 * The lines of every deal or order of the organization that names a product family: the family's two
 * first current models, 70 % and 30 % of its amount, quantities at the list price of its currency
 * (tier by quantity), then the record's amount set to the sum of its lines (base amount by its own rate).
 */
function linesSql(kind: 'opportunity' | 'order'): string {
  const src = kind === 'opportunity' ? 'opportunities' : 'orders';
  const text = kind === 'opportunity' ? 'x.name' : 'x.description';
  const fams = SERIES.map((s, i) => `(${i}, '${s.key}', '${PRODUCTS[s.family]![0].replace(/'/g, "''")}', '${PRODUCTS[s.family]![1]}')`).join(', ');
  return `
    with fam(ord, series, en, zh) as (values ${fams}),
    rec as (
      select x.id, x.amount, x.currency, x.created_at,
        (select f.series from fam f where position(f.en in coalesce(${text}, '')) > 0 or position(f.zh in coalesce(${text}, '')) > 0 order by f.ord limit 1) as series
      from ${src} x where x.org_id = $1 and x.amount is not null and x.amount > 0 and x.currency is not null),
    models as (
      select p.id, p.product_line, row_number() over (partition by p.product_line order by p.code) as rk, count(*) over (partition by p.product_line) as n
      from products p where p.org_id = $1 and p.lifecycle = 'current'),
    picked as (
      select r.id as rec_id, r.currency, r.created_at, m.id as product_id, m.rk,
        r.amount * case when m.n = 1 then 1.0 when m.rk = 1 then 0.7 else 0.3 end as target
      from rec r join models m on m.product_line = r.series and m.rk <= 2),
    based as (
      select k.*, pl.id as list_id, i.unit_price as p1
      from picked k
      join price_lists pl on pl.org_id = $1 and pl.currency = k.currency and pl.is_default and pl.deleted_at is null
      join price_list_items i on i.org_id = $1 and i.price_list_id = pl.id and i.product_id = k.product_id and i.min_quantity = 1),
    qty as (select b.*, greatest(1, round(b.target / b.p1)) as q from based b),
    priced as (
      select q.*, (select i.unit_price from price_list_items i where i.org_id = $1 and i.price_list_id = q.list_id and i.product_id = q.product_id
        and i.min_quantity <= q.q order by i.min_quantity desc limit 1) as up
      from qty q)
    insert into ${kind === 'opportunity' ? 'opportunity_lines' : 'order_lines'} (org_id, id, position, product_id, quantity, list_price, unit_price, discount_pct, line_total, price_list_id, ${kind}_id, created_at)
    select $1, uuid_generate_v7(), rk - 1, product_id, q, up, up, 0, round(q * up, 2), list_id, rec_id, created_at from priced`;
}

/** How many product_line terms the demo adds (its series) besides the defaults. */
export const DEMO_SERIES = SERIES.length;

/** Seeds the catalogue and the lines; returns the row counts of the tables it wrote (vocab_terms: the organization's total). */
export async function seedCatalogue(c: Conn, orgId: string, createdAt: string, by: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const terms = SERIES.map((s, i) => [s.key, JSON.stringify({ en: s.label[0], 'zh-CN': s.label[1], 'zh-TW': s.label[2] }), i]);
  // The series replace the generic product lines every organization starts with.
  await c.query(`update vocab_terms set active = false where org_id = $1 and vocabulary = 'product_line'`, [orgId]);
  await c.query(
    `insert into vocab_terms (org_id, vocabulary, key, label, position) select $1, 'product_line', t.key, t.label::jsonb, t.pos
     from jsonb_to_recordset($2::jsonb) as t(key text, label text, pos int)`,
    [orgId, JSON.stringify(terms.map(([key, label, pos]) => ({ key, label, pos })))],
  );
  const n = (await c.query(`select count(*)::int as n from vocab_terms where org_id = $1`, [orgId])).rows[0] as { n: number };
  counts.vocab_terms = n.n;
  counts.custom_field_defs = SPEC_FIELDS.length;
  await c.query(
    `insert into custom_field_defs (org_id, entity, key, label, type, options, position) select $1, 'product', f.key, f.label, f.type, f.options, f.pos
     from jsonb_to_recordset($2::jsonb) as f(key text, label jsonb, type text, options jsonb, pos smallint)`,
    [orgId, JSON.stringify(SPEC_FIELDS.map((f, pos) => ({ ...f, pos })))],
  );
  const products = MODELS.map((m) => ({
    code: m.code, name: m.name[0], i18n: { en: m.name[0], 'zh-CN': m.name[1], 'zh-TW': m.name[2] }, line: m.series, unit: m.unit ?? 'pcs',
    lifecycle: m.lifecycle ?? 'current', first: m.firstOfKind ?? false, usd: m.usd,
    custom: { ...(m.watt ? { wattage: m.watt } : {}), ...(m.lumen ? { luminous_flux: m.lumen } : {}), ...(m.ip ? { ip_rating: m.ip } : {}), certifications: m.certs },
    description: `${m.certs.join(' / ')} certified${m.ip ? `, ${m.ip}` : ''}`,
  }));
  const p = await c.query(
    `insert into products (org_id, code, name, name_i18n, product_line, unit, lifecycle, first_of_kind, active, custom, description, created_at, updated_at, created_by, updated_by)
     select $1, x.code, x.name, x.i18n, x.line, x.unit, x.lifecycle, x.first, x.lifecycle <> 'phased_out', x.custom, x.description, $3::timestamptz, $3::timestamptz, $4, $4
     from jsonb_to_recordset($2::jsonb) as x(code text, name text, i18n jsonb, line text, unit text, lifecycle text, first boolean, custom jsonb, description text)`,
    [orgId, JSON.stringify(products), createdAt, by],
  );
  counts.products = p.rowCount ?? products.length;
  await c.query(
    `insert into price_lists (org_id, name, currency, valid_from, is_default, created_at, updated_at, created_by, updated_by)
     select $1, l.name, l.currency, ($3::timestamptz)::date, true, $3::timestamptz, $3::timestamptz, $4, $4 from jsonb_to_recordset($2::jsonb) as l(name text, currency text)`,
    [orgId, JSON.stringify(LISTS.map((l) => ({ name: l.name[0], currency: l.currency }))), createdAt, by],
  );
  counts.price_lists = LISTS.length;
  const items = await c.query(
    `insert into price_list_items (org_id, price_list_id, product_id, min_quantity, unit_price)
     select $1, pl.id, p.id, t.min_q, round(m.usd * f.factor * t.mult, 2)
     from jsonb_to_recordset($2::jsonb) as m(code text, usd numeric)
     join products p on p.org_id = $1 and p.code = m.code
     cross join jsonb_to_recordset($3::jsonb) as f(currency text, factor numeric)
     join price_lists pl on pl.org_id = $1 and pl.currency = f.currency
     cross join jsonb_to_recordset($4::jsonb) as t(min_q numeric, mult numeric)`,
    [orgId, JSON.stringify(MODELS.map((m) => ({ code: m.code, usd: m.usd }))), JSON.stringify(LISTS.map((l) => ({ currency: l.currency, factor: l.factor }))),
      JSON.stringify(TIERS.map(([min_q, mult]) => ({ min_q, mult })))],
  );
  counts.price_list_items = items.rowCount ?? 0;

  counts.opportunity_lines = (await c.query(linesSql('opportunity'), [orgId])).rowCount ?? 0;
  // A deal with lines: its amount is their sum; its base amount uses the demo's EUR rate.
  counts.opportunity_pricing = (await c.query(
    `with s as (select opportunity_id, sum(line_total) as total, count(*)::int as n from opportunity_lines where org_id = $1 group by opportunity_id),
     u as (update opportunities o set amount = s.total from s where o.org_id = $1 and o.id = s.opportunity_id returning o.id, o.currency, o.amount, s.n)
     insert into opportunity_pricing (org_id, opportunity_id, currency, fx_rate, amount, amount_base, line_count)
     select $1, u.id, u.currency, case when u.currency = 'USD' then null else $2::numeric end, u.amount,
       round(u.amount * case when u.currency = 'USD' then 1 else $2::numeric end, 2), u.n from u`,
    [orgId, EUR_USD],
  )).rowCount ?? 0;
  counts.order_lines = (await c.query(linesSql('order'), [orgId])).rowCount ?? 0;
  await c.query(
    `with s as (select order_id, sum(line_total) as total from order_lines where org_id = $1 group by order_id)
     update orders o set amount = s.total, amount_base = round(s.total * coalesce(o.fx_rate, 1), 2) from s where o.org_id = $1 and o.id = s.order_id`,
    [orgId],
  );
  return counts;
}
