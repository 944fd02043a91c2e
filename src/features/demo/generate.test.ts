import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '@node-rs/argon2';
import { openDatabase, type Database } from '../../kernel/db/index.ts';
import { runMigrations } from '../../kernel/db/migrate.ts';
import { DEFAULT_VOCABULARIES } from '../vocabularies/defaults.ts';
import { DEMO_SERIES } from './catalogue.ts';
import { DEMO_PASSWORD, ensureDemo, generateDemo, type DemoResult } from './index.ts';
import { seedVocabularies } from './vocabularies.ts';
import { generateRowsForProfiling } from './generate.ts';
import { Rng } from './prng.ts';

const NOW = '2026-11-20T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;
// A shared PostgreSQL sees many runs: every organization here gets its own slug and email domain.
const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

type Row = Record<string, unknown>;
const rows = async (db: Database, sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as Row[];
const one = async (db: Database, sql: string, params: unknown[] = []) => (await rows(db, sql, params))[0]!;
const num = (v: unknown) => Number(v);

describe('Rng', () => {
  it('is deterministic per (seed, stream) and streams differ', () => {
    const a = new Rng(42, 3);
    const b = new Rng(42, 3);
    const c = new Rng(42, 4);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
  });

  it('makes UUIDv7-shaped ids carrying the given time', () => {
    const r = new Rng(1);
    const ms = Date.UTC(2024, 0, 1);
    for (let k = 0; k < 200; k++) {
      const id = r.uuid(ms + k);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms + k);
    }
  });

  it('draws uniformly enough for the generator', () => {
    const r = new Rng(9);
    let sum = 0;
    const n = 20000;
    for (let k = 0; k < n; k++) sum += r.next();
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });
});

/** Everything asserted about one generated organization; run on PGlite and, when configured, PostgreSQL. */
function demoSuite(name: string, open: () => Promise<Database>) {
  describe(name, () => {
    let db: Database;
    let demo: DemoResult;
    let org: string;
    const progress: [number, number, string][] = [];

    beforeAll(async () => {
      db = await open();
      await runMigrations(db);
      demo = await generateDemo(db, {
        accounts: 300, seed: 7, now: NOW, slug: `demo-a-${tag}`, emailDomain: `a-${tag}.accord.test`,
        batchSize: 128, onProgress: (d, t, p) => progress.push([d, t, p]),
      });
      org = demo.orgId;
    }, 600_000);
    afterAll(async () => db?.close());

    it('reports counts and progress', async () => {
      expect(demo.counts.accounts).toBe(300);
      expect(progress[0]).toEqual([0, 300, 'setup']);
      expect(progress.at(-1)).toEqual([300, 300, 'done']);
      expect(progress.filter((p) => p[2] === 'accounts').map((p) => p[0])).toEqual([128, 256, 300]);
      for (const [table, n] of Object.entries(demo.counts)) {
        const { c } = await one(db, `select count(*)::int as c from ${table} where ${table === 'organizations' ? 'id' : 'org_id'} = $1`, [org]);
        expect(num(c), table).toBe(n);
      }
      // About ten interactions per account: the benchmark scale assumes it.
      expect(demo.counts.interactions! / 300).toBeGreaterThan(7);
      expect(demo.counts.interactions! / 300).toBeLessThan(13);
    });

    it('creates the organization, vocabularies, criteria and users with the demo logins', async () => {
      const o = await one(db, 'select name, base_currency from organizations where id = $1', [org]);
      expect(o.base_currency).toBe('USD');
      // The defaults, and the demo catalogue's product series (features/demo/catalogue.ts).
      const terms = Object.values(DEFAULT_VOCABULARIES).reduce((n, t) => n + t.length, 0) + DEMO_SERIES;
      expect(num((await one(db, 'select count(*) as c from vocab_terms where org_id = $1', [org])).c)).toBe(terms);
      expect(await seedVocabularies(db.db, org)).toBe(0);
      const stages = await rows(db, 'select distinct stage from stage_exit_criteria where org_id = $1', [org]);
      expect(stages.length).toBe(5);
      const us = await rows(db, 'select email, role, team, department, password_hash from users where org_id = $1', [org]);
      expect(us.filter((u) => u.role === 'rep' && u.department === 'sales').length).toBeGreaterThanOrEqual(8);
      expect(new Set(us.map((u) => u.team).filter(Boolean)).size).toBe(4);
      expect(new Set(us.map((u) => u.department))).toEqual(new Set(['management', 'sales', 'marketing', 'service', 'technical', 'finance']));
      for (const login of demo.logins) {
        const u = us.find((x) => x.email === login.email)!;
        expect(u.role).toBe(login.role);
        expect(await verify(u.password_hash as string, DEMO_PASSWORD)).toBe(true);
      }
      expect(demo.logins.map((l) => l.email.split('@')[0])).toEqual(['admin', 'manager', 'rep', 'viewer']);
    });

    it('spreads accounts over 20+ countries, kinds and need types, with Chinese and Western names', async () => {
      const a = await rows(db, 'select name, kind, country, need_type, price_orientation, custom from accounts where org_id = $1', [org]);
      expect(new Set(a.map((x) => x.country)).size).toBeGreaterThanOrEqual(20);
      expect(new Set(a.map((x) => x.kind))).toEqual(new Set(['customer', 'prospect', 'partner']));
      expect(new Set(a.map((x) => x.need_type)).size).toBe(6);
      expect(a.some((x) => /有限公司$/.test(x.name as string))).toBe(true);
      expect(a.some((x) => / (GmbH|Inc\.|LLC|S\.r\.l\.)$/.test(x.name as string))).toBe(true);
      expect(a.every((x) => JSON.stringify(x.custom) === '{}')).toBe(true);
      const perAccount = await rows(db, 'select count(*)::int as c from contacts where org_id = $1 group by account_id', [org]);
      expect(perAccount.length).toBe(300);
      expect(Math.min(...perAccount.map((x) => num(x.c)))).toBeGreaterThanOrEqual(2);
      expect(Math.max(...perAccount.map((x) => num(x.c)))).toBeLessThanOrEqual(6);
      const cn = await rows(db, "select full_name, email from contacts where org_id = $1 and country = 'CN'", [org]);
      expect(cn.some((x) => /^[\u4e00-\u9fff]{2,3}$/.test(x.full_name as string))).toBe(true);
      expect(num((await one(db, 'select count(*) as c from contacts where org_id = $1 and do_not_email', [org])).c)).toBeGreaterThan(0);
    });

    it('has enough won and lost history for a win model, and fit matters', async () => {
      const s = await rows(db, 'select status, count(*)::int as c from opportunities where org_id = $1 group by status', [org]);
      const by = Object.fromEntries(s.map((x) => [x.status, num(x.c)]));
      expect(by.won).toBeGreaterThanOrEqual(60);
      expect(by.lost).toBeGreaterThanOrEqual(60);
      expect(by.open).toBeGreaterThanOrEqual(20);
      const rate = await rows(db, `
        select a.price_orientation as p, avg((o.status = 'won')::int)::float as r
        from opportunities o join accounts a on a.org_id = o.org_id and a.id = o.account_id
        where o.org_id = $1 and o.status <> 'open' group by 1`, [org]);
      const r = Object.fromEntries(rate.map((x) => [x.p, num(x.r)]));
      expect(r.quality).toBeGreaterThan(r.price! + 0.15);
      const open = await rows(db, "select distinct buying_stage from opportunities where org_id = $1 and status = 'open'", [org]);
      expect(open.length).toBeGreaterThanOrEqual(4);
      const lost = await one(db, "select count(*) filter (where lost_reason is null) as missing from opportunities where org_id = $1 and status = 'lost'", [org]);
      expect(num(lost.missing)).toBe(0);
      const cur = await one(db, "select count(distinct currency) as c from opportunities where org_id = $1", [org]);
      expect(num(cur.c)).toBe(2);
    });

    it('keeps stage history consistent with every deal', async () => {
      // Each deal's history is a chain from nothing to its current stage, ending at stage_entered_at.
      const bad = await rows(db, `
        with h as (
          select opportunity_id, from_stage, to_stage, changed_at,
                 lag(to_stage) over w as prev, row_number() over w as n, count(*) over (partition by opportunity_id) as total
          from opportunity_stage_history where org_id = $1
          window w as (partition by opportunity_id order by changed_at, id))
        select o.id from opportunities o join h on h.opportunity_id = o.id
        where o.org_id = $1 and (
          (h.n = 1 and h.from_stage is not null) or (h.n > 1 and h.from_stage is distinct from h.prev)
          or (h.n = h.total and (h.to_stage <> o.buying_stage or h.changed_at <> o.stage_entered_at))
          or h.changed_at < o.created_at or h.changed_at > $2::timestamptz)`, [org, NOW]);
      expect(bad).toEqual([]);
      const noHistory = await one(db, `select count(*) as c from opportunities o where o.org_id = $1
        and not exists (select 1 from opportunity_stage_history h where h.org_id = o.org_id and h.opportunity_id = o.id)`, [org]);
      expect(num(noHistory.c)).toBe(0);
      const backwards = await one(db, `
        select count(*) as c from opportunity_stage_history h
        join vocab_terms f on f.org_id = h.org_id and f.vocabulary = 'buying_stage' and f.key = h.from_stage
        join vocab_terms t on t.org_id = h.org_id and t.vocabulary = 'buying_stage' and t.key = h.to_stage
        where h.org_id = $1 and (t.meta->>'rank')::int < (f.meta->>'rank')::int`, [org]);
      expect(num(backwards.c)).toBeGreaterThan(0);
      const won = await one(db, `select count(*) filter (where buying_stage <> 'implementation' or closed_at is null) as bad
        from opportunities where org_id = $1 and status = 'won'`, [org]);
      expect(num(won.bad)).toBe(0);
    });

    it('tells the supplier-status stories: a recent fall from preferred, strategic accounts', async () => {
      const fall = await rows(db, `select account_id from account_status_history where org_id = $1 and field = 'supplier_status'
        and from_value = 'preferred' and to_value = 'passively_phased_out' and changed_at > $2::timestamptz - interval '30 days'`, [org, NOW]);
      expect(fall.length).toBeGreaterThanOrEqual(1);
      // The account's current status is the last value of its history.
      const mismatch = await rows(db, `
        select a.id from accounts a join lateral (
          select to_value from account_status_history h where h.org_id = a.org_id and h.account_id = a.id and h.field = 'supplier_status'
          order by changed_at desc limit 1) last on true
        where a.org_id = $1 and a.supplier_status is distinct from last.to_value`, [org]);
      expect(mismatch).toEqual([]);
      const statuses = await rows(db, 'select distinct supplier_status as s from accounts where org_id = $1 and supplier_status is not null', [org]);
      expect(statuses.map((x) => x.s)).toEqual(expect.arrayContaining(['provisional', 'preferred', 'strategic', 'passively_phased_out']));
      const depth = await rows(db, 'select distinct relationship_depth as d from accounts where org_id = $1 and relationship_depth is not null', [org]);
      expect(depth.length).toBe(3);
    });

    it('has buying centers with gaps: no decider, single thread, uncovered members, key-person dependence', async () => {
      const noDecider = await rows(db, `select o.id from opportunities o where o.org_id = $1 and o.status = 'open' and o.buying_situation = 'new_task'
        and not exists (select 1 from buying_center_members m where m.org_id = o.org_id and m.opportunity_id = o.id and 'decider' = any(m.roles))`, [org]);
      expect(noDecider.length).toBeGreaterThanOrEqual(1);
      const single = await rows(db, `select o.id from opportunities o join buying_center_members m on m.org_id = o.org_id and m.opportunity_id = o.id
        where o.org_id = $1 and o.status = 'open' group by o.id having count(*) = 1`, [org]);
      expect(single.length).toBeGreaterThanOrEqual(1);
      const uncovered = await one(db, `select count(*) as c from buying_center_members m where m.org_id = $1
        and not exists (select 1 from buying_center_coverage c where c.org_id = m.org_id and c.member_id = m.id)`, [org]);
      expect(num(uncovered.c)).toBeGreaterThan(0);
      const roles = await rows(db, 'select distinct unnest(roles) as r from buying_center_members where org_id = $1', [org]);
      expect(roles.length).toBe(7);
      const attitudes = await rows(db, 'select distinct attitude from buying_center_members where org_id = $1', [org]);
      expect(attitudes.length).toBe(5);
      // Key-person dependence: one of our users is on every interaction of the account.
      const dependent = await rows(db, `
        select i.account_id from interactions i join interaction_users u on u.org_id = i.org_id and u.interaction_id = i.id
        where i.org_id = $1 group by i.account_id
        having count(distinct i.id) >= 8 and count(distinct u.user_id) = 1`, [org]);
      expect(dependent.length).toBeGreaterThanOrEqual(1);
    });

    it('links contacts inside and across accounts', async () => {
      const types = await rows(db, 'select distinct link_type as t from contact_links where org_id = $1', [org]);
      expect(types.map((x) => x.t)).toEqual(expect.arrayContaining(['colleague', 'reports_to', 'former_colleague', 'friend', 'referred_by']));
      const across = await one(db, `select count(*) as c from contact_links l
        join contacts f on f.org_id = l.org_id and f.id = l.from_contact_id join contacts t on t.org_id = l.org_id and t.id = l.to_contact_id
        where l.org_id = $1 and f.account_id <> t.account_id`, [org]);
      expect(num(across.c)).toBeGreaterThan(10);
    });

    it('has two years of interactions with participants, AISAS steps and sources', async () => {
      const span = await one(db, 'select min(occurred_at) as lo, max(occurred_at) as hi from interactions where org_id = $1', [org]);
      expect(Date.parse(span.hi as string)).toBeLessThanOrEqual(NOW_MS);
      expect(NOW_MS - Date.parse(span.lo as string)).toBeGreaterThan(700 * DAY);
      const kinds = await rows(db, 'select distinct kind from interactions where org_id = $1', [org]);
      expect(kinds.length).toBeGreaterThanOrEqual(8);
      const orphan = await one(db, `select count(*) as c from interactions i where i.org_id = $1 and (
        not exists (select 1 from interaction_contacts c where c.org_id = i.org_id and c.interaction_id = i.id)
        or not exists (select 1 from interaction_users u where u.org_id = i.org_id and u.interaction_id = i.id))`, [org]);
      expect(num(orphan.c)).toBe(0);
      // Their side of an interaction works at the interaction's account.
      const wrongAccount = await one(db, `select count(*) as c from interaction_contacts ic join interactions i on i.org_id = ic.org_id and i.id = ic.interaction_id
        join contacts c on c.org_id = ic.org_id and c.id = ic.contact_id where ic.org_id = $1 and c.account_id <> i.account_id`, [org]);
      expect(num(wrongAccount.c)).toBe(0);
      const tagged = await one(db, 'select count(aisas_step) as a, count(source) as s from interactions where org_id = $1', [org]);
      expect(num(tagged.a)).toBeGreaterThan(100);
      expect(num(tagged.s)).toBeGreaterThan(100);
    });

    it('has tasks (promises, overdue), notes and orders with a varied share of wallet', async () => {
      const t = await one(db, `select count(*) filter (where kind = 'promise') as promises,
        count(*) filter (where status = 'open' and due_at < $2::timestamptz) as overdue from tasks where org_id = $1`, [org, NOW]);
      expect(num(t.promises)).toBeGreaterThan(5);
      expect(num(t.overdue)).toBeGreaterThan(5);
      expect(num((await one(db, 'select count(*) as c from notes where org_id = $1', [org])).c)).toBeGreaterThan(50);
      const wallet = await rows(db, `
        select a.id, sum(o.amount_base) / (a.total_annual_demand * case when a.demand_currency = 'EUR' then 1.08 else 1 end) as share
        from accounts a join orders o on o.org_id = a.org_id and o.account_id = a.id and o.ordered_at > ($2::timestamptz - interval '1 year')::date
        where a.org_id = $1 and a.total_annual_demand > 0 group by a.id, a.total_annual_demand, a.demand_currency`, [org, NOW]);
      const shares = wallet.map((x) => num(x.share));
      expect(Math.min(...shares)).toBeLessThan(0.03);
      expect(Math.max(...shares)).toBeGreaterThan(0.4);
      const customersWithoutOrders = await one(db, `select count(*) as c from accounts a where a.org_id = $1 and a.kind = 'customer'
        and not exists (select 1 from orders o where o.org_id = a.org_id and o.account_id = a.id)`, [org]);
      expect(num(customersWithoutOrders.c)).toBe(0);
      const fx = await one(db, `select count(*) as c from orders where org_id = $1 and currency <> 'USD' and fx_rate is null`, [org]);
      expect(num(fx.c)).toBe(0);
    });

    it('is deterministic: same seed and now give the same rows, another seed different ones', async () => {
      const again = await generateDemo(db, { accounts: 40, seed: 7, now: NOW, slug: `demo-b-${tag}`, emailDomain: `b-${tag}.accord.test` });
      const other = await generateDemo(db, { accounts: 40, seed: 8, now: NOW, slug: `demo-c-${tag}`, emailDomain: `c-${tag}.accord.test` });
      const snapshot = async (orgId: string) => ({
        accounts: await rows(db, 'select id, name, country, kind, created_at from accounts where org_id = $1 order by id', [orgId]),
        contacts: await rows(db, 'select id, full_name, email from contacts where org_id = $1 order by id', [orgId]),
        deals: await rows(db, 'select id, name, amount, status, buying_stage from opportunities where org_id = $1 order by id', [orgId]),
      });
      const first = await snapshot(org);
      const second = await snapshot(again.orgId);
      // N=40 is a prefix of N=300: account i draws from its own stream.
      const ids = new Set(second.accounts.map((a) => a.id));
      expect(second.accounts).toEqual(first.accounts.filter((a) => ids.has(a.id)));
      expect(second.accounts.length).toBe(40);
      const cids = new Set(second.contacts.map((c) => c.id));
      expect(second.contacts).toEqual(first.contacts.filter((c) => cids.has(c.id)));
      const dids = new Set(second.deals.map((d) => d.id));
      expect(second.deals).toEqual(first.deals.filter((d) => dids.has(d.id)));
      const third = await snapshot(other.orgId);
      expect(third.accounts.map((a) => a.name)).not.toEqual(second.accounts.map((a) => a.name));
      expect(again.orgId).not.toBe(org);
    }, 300_000);
  });
}

demoSuite('demo on embedded PGlite', () => openDatabase({ worker: false }));
if (process.env.TEST_DATABASE_URL) demoSuite('demo on PostgreSQL', () => openDatabase({ url: process.env.TEST_DATABASE_URL }));

describe('ensureDemo', () => {
  it('creates the default demo on an empty database once, then does nothing', async () => {
    const db = await openDatabase({ worker: false });
    try {
      await runMigrations(db);
      const logins = await ensureDemo(db, { accounts: 20, now: NOW });
      expect(logins.map((l) => l.email)).toEqual(['admin@accord.demo', 'manager@accord.demo', 'rep@accord.demo', 'viewer@accord.demo']);
      expect(logins.every((l) => l.password === DEMO_PASSWORD)).toBe(true);
      expect(await ensureDemo(db)).toEqual([]);
      const n = await one(db, 'select count(*) as c from organizations');
      expect(num(n.c)).toBe(1);
    } finally {
      await db.close();
    }
  }, 300_000);
});

describe('fastLoad', () => {
  it('loads without foreign-key triggers and still writes consistent rows', async () => {
    const db = await openDatabase({ worker: false });
    try {
      await runMigrations(db);
      const res = await generateDemo(db, { accounts: 60, now: NOW, fastLoad: true, batchSize: 25 });
      expect(res.fastLoad).toBe(true);
      expect(res.timings.generate).toBeGreaterThan(0);
      // The checks the triggers would have made, made once afterwards.
      const orphans = await one(db, `select
        (select count(*) from contacts c where not exists (select 1 from accounts a where a.org_id = c.org_id and a.id = c.account_id)) +
        (select count(*) from buying_center_members m where not exists (select 1 from contacts c where c.org_id = m.org_id and c.id = m.contact_id)) +
        (select count(*) from contact_links l where not exists (select 1 from contacts c where c.org_id = l.org_id and c.id = l.to_contact_id)) +
        (select count(*) from interaction_users u where not exists (select 1 from users x where x.org_id = u.org_id and x.id = u.user_id)) +
        (select count(*) from opportunity_criteria_checks k where not exists (select 1 from stage_exit_criteria s where s.org_id = k.org_id and s.id = k.criterion_id))
        as n`);
      expect(num(orphans.n)).toBe(0);
      const role = await one(db, 'show session_replication_role');
      expect(role.session_replication_role).toBe('origin');
    } finally {
      await db.close();
    }
  }, 300_000);
});

describe('extraTouches', () => {
  it('puts about one more interaction on every account, and none when left at 0', () => {
    const n = 200;
    const plain = generateRowsForProfiling(0, n);
    expect(generateRowsForProfiling(0, n, undefined, undefined, 0).interactions.length).toBe(plain.interactions.length);
    const more = generateRowsForProfiling(0, n, undefined, undefined, 1).interactions.length - plain.interactions.length;
    // One more account-level touch each; the draws after it shift, so the deals' own interactions move a little.
    expect(more).toBeGreaterThan(n * 0.5);
    expect(more).toBeLessThan(n * 1.5);
  });
});
