import { beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { useTestApp, type TestUser } from '../../../tests/helpers/app.ts';
import { recomputeCoverage, recomputeOrgCoverage } from './queries.ts';

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

describeEachDb('buying center API', (mode) => {
  const t = useTestApp(mode);
  const ids: Record<string, string> = {};
  /** Rows of a check query; the columns each test reads are known to it. */
  type Row = Record<string, unknown>;
  const q = async (text: string, params: unknown[] = []) => ({ rows: (await t.database.query(text, params)).rows as Row[] });

  async function account(key: string, orgId: string, kind = 'customer', ownerId: string | null = null) {
    ids[key] = uuidv7();
    await q(`insert into accounts (org_id, id, name, kind, owner_id) values ($1, $2, $3, $4, $5)`, [orgId, ids[key], `${key} Co`, kind, ownerId]);
  }
  async function contact(key: string, orgId: string, accountKey: string | null, title: string, ownerId: string | null = null) {
    ids[key] = uuidv7();
    await q(`insert into contacts (org_id, id, account_id, full_name, title, owner_id) values ($1, $2, $3, $4, $5, $6)`, [orgId, ids[key], accountKey ? ids[accountKey] : null, key, title, ownerId]);
  }
  async function deal(key: string, accountKey: string, situation: string, ownerId: string, amount = '10000') {
    ids[key] = uuidv7();
    await q(`insert into opportunities (org_id, id, account_id, name, buying_situation, buying_stage, owner_id, amount, currency) values ($1, $2, $3, $4, $5, 'evaluation_of_options', $6, $7, 'USD')`,
      [t.org.id, ids[key], ids[accountKey], key, situation, ownerId, amount]);
  }
  async function interaction(accountKey: string, at: string, contactKeys: string[], userIds: string[]) {
    const id = uuidv7();
    await q(`insert into interactions (org_id, id, account_id, kind, occurred_at, subject) values ($1, $2, $3, 'call', $4, 'call')`, [t.org.id, id, ids[accountKey], at]);
    for (const c of contactKeys) await q(`insert into interaction_contacts (org_id, interaction_id, contact_id) values ($1, $2, $3)`, [t.org.id, id, ids[c]]);
    for (const u of userIds) await q(`insert into interaction_users (org_id, interaction_id, user_id) values ($1, $2, $3)`, [t.org.id, id, u]);
    return id;
  }
  const add = (user: TestUser, dealKey: string, payload: Record<string, unknown>) =>
    t.as(user, { method: 'POST', url: `/api/v1/opportunities/${ids[dealKey]}/buying-center/members`, payload });
  const center = async (user: TestUser, dealKey: string) => (await t.as(user, { method: 'GET', url: `/api/v1/opportunities/${ids[dealKey]}/buying-center` })).json();
  const memberCount = async () => Number((await q(`select count(*)::int as n from buying_center_members where org_id = $1`, [t.org.id])).rows[0]!.n);

  beforeAll(async () => {
    const { rep, rep2 } = t.org.users;
    await account('acme', t.org.id, 'customer', rep.id);
    await account('institute', t.org.id, 'partner');
    await account('stranger', t.org.id, 'customer');
    await account('foreign', t.other.id);
    await contact('ceo', t.org.id, 'acme', 'CEO');
    await contact('engineer', t.org.id, 'acme', 'Chief engineer', rep.id);
    await contact('purchaser', t.org.id, 'acme', 'Purchasing manager');
    await contact('designer', t.org.id, 'institute', 'Lighting designer');
    await contact('outsider', t.org.id, 'stranger', 'Buyer');
    await contact('spy', t.other.id, 'foreign', 'Buyer');
    await deal('newTask', 'acme', 'new_task', rep.id, '250000');
    await deal('rebuy', 'acme', 'straight_rebuy', rep2.id, '30000');
    await interaction('acme', daysAgo(2), ['purchaser'], [rep2.id]);
  });

  it('a new-task deal with no decider known: high decider gap, approver and gatekeeper gaps, score persisted', async () => {
    const { rep } = t.org.users;
    const a = await add(rep, 'newTask', { contactId: ids.engineer, roles: ['user', 'influencer'], influence: 4, attitude: 'champion', coverers: [rep.id] });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ contactName: 'engineer', roles: ['user', 'influencer'], influence: 4, attitude: 'champion', coverers: [{ userId: rep.id, active: true }] });
    expect((await add(rep, 'newTask', { contactId: ids.purchaser, roles: ['buyer'] })).statusCode).toBe(201);
    const bc = await center(rep, 'newTask');
    expect(bc.opportunity).toMatchObject({ buyingSituation: 'new_task', complexity: 3 });
    const gaps = bc.coverage.gaps as { kind: string; role?: string; severity: string; memberId?: string }[];
    expect(gaps[0]).toMatchObject({ kind: 'missing_role', role: 'decider', severity: 'high' });
    expect(gaps.map((g) => g.role).filter(Boolean)).toEqual(expect.arrayContaining(['decider', 'approver', 'gatekeeper']));
    const purchaser = bc.members.find((m: { contactId: string }) => m.contactId === ids.purchaser);
    expect(purchaser.lastReachedAt).not.toBeNull();
    expect(gaps.find((g) => g.kind === 'uncovered')!.memberId).toBe(purchaser.id);
    expect(gaps.filter((g) => g.kind === 'not_reached').map((g) => g.memberId)).toEqual([bc.members.find((m: { contactId: string }) => m.contactId === ids.engineer).id]);
    expect(bc.coverage.score).toBeLessThan(50);
    expect(bc.matrix).toMatchObject({ model: 'bow_tie', users: 1 });
    const stored = await q(`select coverage_score from opportunities where org_id = $1 and id = $2`, [t.org.id, ids.newTask]);
    expect(Number(stored.rows[0]!.coverage_score)).toBe(bc.coverage.score);
    const cov = (await t.as(rep, { method: 'GET', url: `/api/v1/opportunities/${ids.newTask}/coverage?reachDays=365` })).json();
    expect(cov.reachDays).toBe(365);
  });

  it('a straight rebuy with one covered, recently reached buyer scores 100 with no gaps', async () => {
    const { rep2 } = t.org.users;
    expect((await add(rep2, 'rebuy', { contactId: ids.purchaser, roles: ['buyer'], coverers: [rep2.id] })).statusCode).toBe(201);
    const bc = await center(rep2, 'rebuy');
    expect(bc.coverage).toMatchObject({ score: 100, complexity: 1, gaps: [] });
  });

  it('rejects bad input with clear 4xx and writes nothing', async () => {
    const { rep, manager, viewer, otherTeamRep } = t.org.users;
    const before = await memberCount();
    const role = await add(rep, 'newTask', { contactId: ids.ceo, roles: ['decider', 'astronaut'] });
    expect(role.statusCode).toBe(400);
    expect(role.json().error.fields).toEqual([expect.objectContaining({ path: 'roles', message: expect.stringContaining('astronaut') })]);
    const foreign = await add(rep, 'newTask', { contactId: ids.spy, roles: ['decider'] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.fields[0].path).toBe('contactId');
    const outsider = await add(rep, 'newTask', { contactId: ids.outsider });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error.fields[0].message).toContain('partner');
    const dup = await add(rep, 'newTask', { contactId: ids.engineer, roles: ['user'] });
    expect(dup.statusCode).toBe(409);
    const influence = await add(rep, 'newTask', { contactId: ids.ceo, influence: 9, attitude: 'hostile' });
    expect(influence.statusCode).toBe(400);
    // A deactivated user cannot cover anyone.
    const leaverId = uuidv7();
    await q(`insert into users (org_id, id, email, name, role, active, department) values ($1, $2, $3, 'Former Rep', 'rep', false, 'sales')`, [t.org.id, leaverId, `leaver-${leaverId}@test.example`]);
    const inactive = await add(manager, 'newTask', { contactId: ids.ceo, roles: ['decider'], coverers: [rep.id, leaverId] });
    expect(inactive.statusCode).toBe(400);
    expect(inactive.json().error.fields).toEqual([{ path: 'coverers.1', message: expect.stringContaining('deactivated'), code: expect.any(String) }]);
    const otherOrgUser = await add(manager, 'newTask', { contactId: ids.ceo, coverers: [t.other.users.rep.id] });
    expect(otherOrgUser.statusCode).toBe(400);
    expect(otherOrgUser.body).not.toContain(t.other.users.rep.id);
    expect((await add(viewer, 'newTask', { contactId: ids.ceo })).statusCode).toBe(403);
    expect((await add(otherTeamRep, 'newTask', { contactId: ids.ceo })).statusCode).toBe(403);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/opportunities/${ids.newTask}/buying-center` })).statusCode).toBe(404);
    expect((await add(t.other.users.admin, 'newTask', { contactId: ids.spy })).statusCode).toBe(404);
    expect(await memberCount()).toBe(before);
  });

  it('edits a member with optimistic concurrency, replaces coverers, audits, and a partner contact can join', async () => {
    const { rep, rep2, manager } = t.org.users;
    const ceo = (await add(manager, 'newTask', { contactId: ids.ceo, roles: ['decider'], influence: 5, attitude: 'skeptic' })).json();
    const partner = await add(rep, 'newTask', { contactId: ids.designer, roles: ['influencer'], coverers: [rep2.id] });
    expect(partner.statusCode).toBe(201);
    expect(partner.json().accountKind).toBe('partner');
    const url = `/api/v1/buying-center/members/${ceo.id}`;
    expect((await t.as(rep, { method: 'PATCH', url, payload: { attitude: 'supporter' } })).statusCode).toBe(428);
    const ok = await t.as(rep, { method: 'PATCH', url, headers: { 'if-match': '"1"' }, payload: { roles: ['decider', 'approver'], coverers: [rep.id, rep2.id], attitude: 'supporter' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, roles: ['decider', 'approver'], attitude: 'supporter' });
    expect(ok.json().coverers.map((c: { userId: string }) => c.userId).sort()).toEqual([rep.id, rep2.id].sort());
    const stale = await t.as(rep, { method: 'PATCH', url, payload: { influence: 2, version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.current.version).toBe(2);
    const badRole = await t.as(rep, { method: 'PATCH', url, payload: { roles: ['king'], version: 2 } });
    expect(badRole.statusCode).toBe(400);
    const audit = await q(`select action, before, after from audit_log where org_id = $1 and entity = 'buying_center_member' and entity_id = $2 order by at, id`, [t.org.id, ceo.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect((audit.rows[1]!.after as { coverers: string[] }).coverers.sort()).toEqual([rep.id, rep2.id].sort());
    const bc = await center(rep, 'newTask');
    expect(bc.coverage.gaps.some((g: { role?: string }) => g.role === 'decider')).toBe(false);
    expect(bc.matrix.users).toBe(2);
  });

  it('links contacts in a typed network, across accounts; rejects self-links, duplicates and unknown types', async () => {
    const { rep } = t.org.users;
    const link = (payload: Record<string, unknown>) => t.as(rep, { method: 'POST', url: '/api/v1/contact-links', payload });
    const ok = await link({ fromContactId: ids.engineer, toContactId: ids.designer, linkType: 'former_colleague', strength: 4 });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ fromName: 'engineer', toName: 'designer', toAccountName: 'institute Co', strength: 4 });
    expect((await link({ fromContactId: ids.engineer, toContactId: ids.ceo, linkType: 'reports_to' })).statusCode).toBe(201);
    const self = await link({ fromContactId: ids.ceo, toContactId: ids.ceo, linkType: 'friend' });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.fields[0].path).toBe('toContactId');
    expect((await link({ fromContactId: ids.engineer, toContactId: ids.designer, linkType: 'former_colleague' })).statusCode).toBe(409);
    expect((await link({ fromContactId: ids.engineer, toContactId: ids.ceo, linkType: 'enemy' })).statusCode).toBe(400);
    expect((await link({ fromContactId: ids.engineer, toContactId: ids.spy, linkType: 'friend' })).statusCode).toBe(400);
    expect((await link({ fromContactId: ids.engineer, toContactId: ids.ceo, linkType: 'friend', strength: 0 })).statusCode).toBe(400);
    const net = (await t.as(rep, { method: 'GET', url: `/api/v1/contacts/${ids.designer}/network` })).json();
    expect(net.data).toHaveLength(1);
    const edit = await t.as(rep, { method: 'PATCH', url: `/api/v1/contact-links/${ok.json().id}`, payload: { strength: 5, version: 1 } });
    expect(edit.json()).toMatchObject({ strength: 5, version: 2 });
    const bc = await center(rep, 'newTask');
    expect(bc.links.map((l: { linkType: string }) => l.linkType).sort()).toEqual(['former_colleague', 'reports_to']);
    expect((await t.as(t.other.users.admin, { method: 'DELETE', url: `/api/v1/contact-links/${ok.json().id}` })).statusCode).toBe(404);
    expect((await t.as(t.other.users.admin, { method: 'GET', url: `/api/v1/contacts/${ids.designer}/network` })).statusCode).toBe(404);
  });

  it('merges the open deals of an account per contact', async () => {
    const acc = (await t.as(t.org.users.viewer, { method: 'GET', url: `/api/v1/accounts/${ids.acme}/buying-center` })).json();
    expect(acc.opportunities.map((o: { name: string }) => o.name).sort()).toEqual(['newTask', 'rebuy']);
    const purchaser = acc.members.find((m: { contactId: string }) => m.contactId === ids.purchaser);
    expect(purchaser.opportunityIds.sort()).toEqual([ids.newTask, ids.rebuy].sort());
    expect(purchaser.coverers.map((c: { userId: string }) => c.userId)).toEqual([t.org.users.rep2.id]);
    expect(acc.matrix.cells.length).toBeGreaterThan(0);
  });

  it('ranks key-person dependence for managers only', async () => {
    const { rep, manager } = t.org.users;
    await account('solo', t.org.id, 'customer', rep.id);
    await contact('soloBoss', t.org.id, 'solo', 'Owner');
    await deal('soloDeal', 'solo', 'modified_rebuy', rep.id, '90000');
    expect((await add(rep, 'soloDeal', { contactId: ids.soloBoss, roles: ['decider', 'buyer'], coverers: [rep.id] })).statusCode).toBe(201);
    for (const d of [3, 10, 20]) await interaction('solo', daysAgo(d), ['soloBoss'], [rep.id]);
    expect((await t.as(rep, { method: 'GET', url: '/api/v1/relationship-risk/dependence' })).statusCode).toBe(403);
    const res = await t.as(manager, { method: "GET", url: "/api/v1/relationship-risk/dependence" });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    const solo = report.accounts.find((a: { accountId: string }) => a.accountId === ids.solo);
    expect(solo).toMatchObject({ dependence: 1, level: 'high', topUserId: rep.id, shares: { interactions: 1, decisionMembers: 1, pipeline: 1 } });
    expect(report.users.find((u: { userId: string }) => u.userId === rep.id).accounts).toBeGreaterThanOrEqual(1);
    const mine = (await t.as(manager, { method: 'GET', url: `/api/v1/relationship-risk/dependence?userId=${t.org.users.rep2.id}` })).json();
    expect(mine.accounts.every((a: { topUserId: string }) => a.topUserId === t.org.users.rep2.id)).toBe(true);
  });

  it('previews and executes a handover in one audited step, swapping coverage without duplicates', async () => {
    const { rep, rep2, manager } = t.org.users;
    const promise = uuidv7();
    const task = uuidv7();
    await q(`insert into tasks (org_id, id, title, kind, assignee_id, opportunity_id) values ($1, $2, 'Send samples', 'promise', $3, $4)`, [t.org.id, promise, rep.id, ids.newTask]);
    await q(`insert into tasks (org_id, id, title, kind, assignee_id, account_id) values ($1, $2, 'Follow up', 'task', $3, $4)`, [t.org.id, task, rep.id, ids.acme]);
    const preview = (await t.as(manager, { method: 'GET', url: `/api/v1/relationship-risk/handover?fromUserId=${rep.id}&accountIds=${ids.acme}` })).json();
    expect(preview.accounts).toHaveLength(1);
    const acme = preview.accounts[0];
    expect(acme).toMatchObject({ accountId: ids.acme, ownedByUser: true });
    expect(acme.opportunities.map((o: { id: string }) => o.id)).toEqual([ids.newTask]);
    expect(acme.promises.map((p: { id: string }) => p.id)).toEqual([promise]);
    expect(acme.tasks.map((p: { id: string }) => p.id)).toEqual([task]);
    expect(acme.contacts.map((c: { contactName: string }) => c.contactName).sort()).toEqual(['ceo', 'engineer']);
    expect(acme.contacts.find((c: { contactName: string }) => c.contactName === 'ceo').otherCoverers).toBe(1);

    expect((await t.as(rep, { method: 'POST', url: '/api/v1/relationship-risk/handover', payload: { fromUserId: rep.id, toUserId: rep2.id } })).statusCode).toBe(403);
    const leaverId = (await q(`select id from users where org_id = $1 and active = false limit 1`, [t.org.id])).rows[0]!.id as string;
    const toInactive = await t.as(manager, { method: 'POST', url: '/api/v1/relationship-risk/handover', payload: { fromUserId: rep.id, toUserId: leaverId } });
    expect(toInactive.statusCode).toBe(400);
    expect((await q(`select owner_id from accounts where org_id = $1 and id = $2`, [t.org.id, ids.acme])).rows[0]!.owner_id).toBe(rep.id);

    const done = await t.as(manager, { method: 'POST', url: '/api/v1/relationship-risk/handover', payload: { fromUserId: rep.id, toUserId: rep2.id, accountIds: [ids.acme], note: 'Rep leaves' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ accounts: 1, opportunities: 1, tasks: 2, contacts: 1, coverage: 2 });
    expect((await q(`select owner_id from accounts where org_id = $1 and id = $2`, [t.org.id, ids.acme])).rows[0]!.owner_id).toBe(rep2.id);
    expect((await q(`select owner_id from accounts where org_id = $1 and id = $2`, [t.org.id, ids.solo])).rows[0]!.owner_id).toBe(rep.id);
    expect((await q(`select count(*)::int as n from tasks where org_id = $1 and assignee_id = $2 and id in ($3, $4)`, [t.org.id, rep2.id, promise, task])).rows[0]!.n).toBe(2);
    const ceoCover = await q(`select cv.user_id from buying_center_coverage cv join buying_center_members m on m.org_id = cv.org_id and m.id = cv.member_id where m.org_id = $1 and m.contact_id = $2 and m.opportunity_id = $3`, [t.org.id, ids.ceo, ids.newTask]);
    expect(ceoCover.rows.map((r) => r.user_id)).toEqual([rep2.id]);
    const audit = await q(`select entity, count(*)::int as n from audit_log where org_id = $1 and action = 'handover' group by entity order by entity`, [t.org.id]);
    expect(Object.fromEntries(audit.rows.map((r) => [r.entity, r.n]))).toEqual({ account: 1, buying_center_member: 2, contact: 1, opportunity: 1, task: 2 });
    const after = (await t.as(manager, { method: 'GET', url: `/api/v1/relationship-risk/handover?fromUserId=${rep.id}&accountIds=${ids.acme}` })).json();
    expect(after.totals).toEqual({ accounts: 0, contacts: 0, opportunities: 0, tasks: 0, promises: 0 });
  });

  it('the organization-wide recompute scores every deal as the per-deal path does, closed deals as of their closing, and writes only changes', async () => {
    const { manager, rep, rep2 } = t.org.users;
    // A won deal closed 100 days ago: its member was reached 5 days before closing (inside the reach
    // window then) and again 2 days ago (beforeAll), which must not count.
    await deal('closed', 'acme', 'modified_rebuy', rep.id);
    await q(`update opportunities set status = 'won', closed_at = $3 where org_id = $1 and id = $2`, [t.org.id, ids.closed, daysAgo(100)]);
    expect((await add(manager, 'closed', { contactId: ids.purchaser, roles: ['buyer', 'decider'], influence: 4, attitude: 'supporter', coverers: [rep2.id] })).statusCode).toBe(201);
    await interaction('acme', daysAgo(105), ['purchaser'], [rep2.id]);
    await account('foreignCo', t.other.id);
    ids.foreignDeal = uuidv7();
    await q(`insert into opportunities (org_id, id, account_id, name, buying_stage) values ($1, $2, $3, 'theirs', 'evaluation_of_options')`, [t.other.id, ids.foreignDeal, ids.foreignCo]);

    const deals = (await q(`select id from opportunities where org_id = $1 and deleted_at is null order by id`, [t.org.id])).rows.map((r) => String(r.id));
    const scores = async () => (await q(`select id, coverage_score from opportunities where org_id = $1 and deleted_at is null order by id`, [t.org.id])).rows.map((r) => [r.id, r.coverage_score === null ? null : Number(r.coverage_score)]);
    // The per-deal path (what every buying-center write runs) sets the reference scores.
    await recomputeCoverage(t.database, t.org.id, deals);
    const expected = await scores();
    const closed = expected.find(([id]) => id === ids.closed)![1] as number;
    expect(closed).toBeGreaterThan(0);

    // One organization per statement: on Citus a statement spanning two is refused in tests.
    for (const org of [t.org.id, t.other.id]) await q(`update opportunities set coverage_score = -1 where org_id = $1`, [org]);
    expect((await t.as(rep, { method: 'POST', url: '/api/v1/buying-center/recompute' })).statusCode).toBe(403);
    const run = await t.as(manager, { method: 'POST', url: '/api/v1/buying-center/recompute' });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toEqual({ updated: deals.length });
    expect(await scores()).toEqual(expected);
    // Another organization's deals are not touched; a second run has nothing to write.
    expect(Number((await q(`select coverage_score from opportunities where org_id = $1 and id = $2`, [t.other.id, ids.foreignDeal])).rows[0]!.coverage_score)).toBe(-1);
    expect((await t.as(manager, { method: 'POST', url: '/api/v1/buying-center/recompute' })).json()).toEqual({ updated: 0 });

    // A routine pass (closedSince) rescores open deals and deals closed since then; older closed deals keep theirs.
    await q(`update opportunities set coverage_score = -1 where org_id = $1 and id in ($2, $3)`, [t.org.id, ids.closed, ids.rebuy]);
    const routine = (since: string) => t.database.withConnection(async (c) => {
      await c.query('begin');
      const r = await recomputeOrgCoverage(c, t.org.id, { closedSince: since });
      await c.query('commit');
      return r;
    });
    expect(await routine(daysAgo(10))).toEqual({ updated: 1, deals: deals.length - 1 });
    expect(await scores()).not.toEqual(expected);
    expect(await routine(daysAgo(101))).toEqual({ updated: 1, deals: deals.length });
    expect(await scores()).toEqual(expected);
  });

  it('the organization-wide pass reads many deals in slices (next slice fetched while one is scored) and agrees with the per-deal path', async () => {
    const { manager, rep, rep2 } = t.org.users;
    // 400 more deals with one to three members each: well over one FETCH of the cursor.
    await q(
      `insert into opportunities (org_id, id, account_id, name, buying_situation, buying_stage, owner_id)
       select $1, uuid_generate_v7(), $2, 'Bulk ' || g, (array['straight_rebuy', 'modified_rebuy', 'new_task'])[1 + g % 3], 'evaluation_of_options', $3
         from generate_series(1, 400) g`,
      [t.org.id, ids.acme, rep.id],
    );
    await q(
      `insert into buying_center_members (org_id, id, opportunity_id, contact_id, roles, influence, attitude)
       select o.org_id, uuid_generate_v7(), o.id, c.id, array[(array['decider', 'buyer', 'user', 'approver'])[1 + (k + length(o.name)) % 4]]::text[],
              1 + (k + length(o.name)) % 5, (array['champion', 'neutral', 'blocker'])[1 + k % 3]
         from opportunities o
         cross join lateral (select id, row_number() over (order by id) as k from contacts where org_id = $1 and account_id = $2) c
        where o.org_id = $1 and o.name like 'Bulk %' and c.k <= 1 + length(o.name) % 3`,
      [t.org.id, ids.acme],
    );
    await q(
      `insert into buying_center_coverage (org_id, member_id, user_id)
       select m.org_id, m.id, case when m.influence % 2 = 0 then $2::uuid else $3::uuid end
         from buying_center_members m join opportunities o on o.org_id = m.org_id and o.id = m.opportunity_id
        where m.org_id = $1 and o.name like 'Bulk %' and m.influence > 2`,
      [t.org.id, rep.id, rep2.id],
    );
    const members = Number((await q(`select count(*)::int as n from buying_center_members where org_id = $1`, [t.org.id])).rows[0]!.n);
    expect(members).toBeGreaterThan(1_000);
    const deals = (await q(`select id from opportunities where org_id = $1 and deleted_at is null order by id`, [t.org.id])).rows.map((r) => String(r.id));
    const scores = async () => (await q(`select id, coverage_score from opportunities where org_id = $1 and deleted_at is null order by id`, [t.org.id])).rows.map((r) => [r.id, r.coverage_score === null ? null : Number(r.coverage_score)]);
    await recomputeCoverage(t.database, t.org.id, deals);
    const expected = await scores();
    expect(new Set(expected.map(([, s]) => s)).size).toBeGreaterThan(5);
    await q(`update opportunities set coverage_score = -1 where org_id = $1`, [t.org.id]);
    const run = await t.as(manager, { method: 'POST', url: '/api/v1/buying-center/recompute' });
    expect(run.json()).toEqual({ updated: deals.length });
    expect(await scores()).toEqual(expected);
  });

  it('documents every endpoint in the OpenAPI document', async () => {
    const doc = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/v1/buying-center/roles', '/api/v1/opportunities/{id}/buying-center', '/api/v1/opportunities/{id}/coverage',
      '/api/v1/opportunities/{id}/buying-center/members', '/api/v1/buying-center/members/{id}', '/api/v1/accounts/{id}/buying-center',
      '/api/v1/contacts/{id}/network', '/api/v1/contact-links', '/api/v1/contact-links/{id}', '/api/v1/relationship-risk/dependence',
      '/api/v1/relationship-risk/handover', '/api/v1/buying-center/recompute',
    ]) expect(doc.paths[p], p).toBeDefined();
    const roles = (await t.as(t.org.users.viewer, { method: 'GET', url: '/api/v1/buying-center/roles' })).json();
    expect(roles.data.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['decider', 'gatekeeper']));
    expect(roles.data.find((r: { key: string }) => r.key === 'approver').weights).toEqual([0, 0, 12]);
  });
});
