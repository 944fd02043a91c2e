/**
 * The organization's item bank and engagement settings over HTTP: validation (400 with the field),
 * roles, optimistic concurrency, isolation, and that a survey keeps the wording it was sent with.
 */
import { expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/app.ts';
import { describeEachDb } from '../../../tests/helpers/db.ts';
import { DEFAULT_ITEMS } from './items.ts';
import type { Item } from './rules.ts';

describeEachDb('survey item bank and engagement settings', (mode) => {
  const t = useTestApp(mode);
  const patchBank = (user: { token: string }, items: unknown, version: number | string = 0) =>
    t.as(user as never, { method: 'PATCH', url: '/api/v1/survey-item-bank', payload: { items }, headers: { 'if-match': `"${version}"` } });
  const patchSettings = (user: { token: string }, payload: object, version: number | string) =>
    t.as(user as never, { method: 'PATCH', url: '/api/v1/engagement/settings', payload, headers: { 'if-match': `"${version}"` } });

  it('refuses a bank with an empty translation, a broken level, a bad id or a duplicate id — naming the field', async () => {
    const { manager } = t.org.users;
    const blankTw = DEFAULT_ITEMS.map((i) => (i.id === 'conf1' ? { ...i, text: { ...i.text, 'zh-TW': '  ' } } : i));
    const r1 = await patchBank(manager, blankTw);
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^items\.3\.text\.zh-TW$/) })]));
    const oneConfidence = DEFAULT_ITEMS.filter((i) => i.id !== 'conf2');
    const r2 = await patchBank(manager, oneConfidence);
    expect(r2.statusCode).toBe(400);
    expect(r2.body).toContain('Fewer than two \\"confidence\\" items');
    const r3 = await patchBank(manager, DEFAULT_ITEMS.map((i, n) => (n === 4 ? { ...i, id: 'Conf 2' } : i)));
    expect(r3.statusCode).toBe(400);
    const r4 = await patchBank(manager, DEFAULT_ITEMS.map((i, n) => (n === 4 ? { ...i, id: 'conf1' } : i)));
    expect(r4.statusCode).toBe(400);
    expect(r4.body).toContain('used twice');
    const tooLong = DEFAULT_ITEMS.map((i) => (i.id === 'conf1' ? { ...i, text: { ...i.text, en: 'x'.repeat(501) } } : i));
    expect((await patchBank(manager, tooLong)).statusCode).toBe(400);
    // Nothing was saved by any of them.
    expect((await t.as(manager, { method: 'GET', url: '/api/v1/survey-item-bank' })).json()).toMatchObject({ isDefault: true, version: 0 });
  });

  it('edits the wording in three languages; a survey made before keeps the wording it was sent with', async () => {
    const { manager, viewer } = t.org.users;
    const before = (await t.as(manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Sent before', language: 'zh-TW' } })).json();
    const items = DEFAULT_ITEMS.map((i) => (i.id === 'conf1' ? { ...i, text: { en: 'They keep their word.', 'zh-CN': '他们说到做到。', 'zh-TW': '他們說到做到。' } } : i));
    expect((await patchBank(viewer, items)).statusCode).toBe(403);
    const saved = await patchBank(manager, items);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, version: 1 });
    // A stale version is a conflict, not a silent overwrite.
    expect((await patchBank(manager, DEFAULT_ITEMS, 0)).statusCode).toBe(409);
    const after = (await t.as(manager, { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Sent after' } })).json();
    const conf1 = (s: { currentVersion: { items: Item[] } }) => s.currentVersion.items.find((i) => i.id === 'conf1')!.text;
    expect(conf1(after)).toEqual({ en: 'They keep their word.', 'zh-CN': '他们说到做到。', 'zh-TW': '他們說到做到。' });
    const old = (await t.as(manager, { method: 'GET', url: `/api/v1/surveys/${before.id}` })).json();
    expect(conf1(old)).toEqual(DEFAULT_ITEMS.find((i) => i.id === 'conf1')!.text);
    // The other organization still asks the default wording.
    expect((await t.as(t.other.users.manager, { method: 'GET', url: '/api/v1/survey-item-bank' })).json()).toMatchObject({ isDefault: true });
  });

  it('settings: ranges, disagree below agree, known roles only, 409 on a stale version; reps read but do not write', async () => {
    const { manager, rep } = t.org.users;
    const cur = (await t.as(rep, { method: 'GET', url: '/api/v1/engagement/settings' })).json();
    expect(cur).toMatchObject({ agree: 4, disagree: 2, windowDays: 365, roleWeights: { decider: 3, other: 1 }, version: 0 });
    expect((await patchSettings(rep, { windowDays: 180 }, 0)).statusCode).toBe(403);
    const cases: [object, string][] = [
      [{ windowDays: 10 }, 'windowDays'], [{ agree: 6 }, 'agree'], [{ npsDrop: 0 }, 'npsDrop'], [{ minRespondents: 1.5 }, 'minRespondents'],
      [{ disagree: 4 }, 'disagree'], [{ agree: 2, disagree: 3 }, 'disagree'], [{ roleWeights: { astronaut: 2 } }, 'roleWeights.astronaut'], [{ roleWeights: { decider: 11 } }, 'roleWeights.decider'],
      [{ linkDays: 'soon' }, 'linkDays'],
    ];
    for (const [body, path] of cases) {
      const r = await patchSettings(manager, body, 0);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect((r.json().error.fields as { path: string }[]).map((f) => f.path), JSON.stringify(body)).toContain(path);
    }
    const ok = await patchSettings(manager, { windowDays: 180, npsDrop: 15, agree: 3.5, roleWeights: { decider: 4, user: 0.5 } }, 0);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ windowDays: 180, npsDrop: 15, agree: 3.5, disagree: 2, roleWeights: { decider: 4, user: 0.5, approver: 2 }, version: 1 });
    expect((await patchSettings(manager, { windowDays: 90 }, 0)).statusCode).toBe(409);
    expect((await t.as(t.other.users.manager, { method: 'GET', url: '/api/v1/engagement/settings' })).json()).toMatchObject({ windowDays: 365, version: 0 });
  });
});
