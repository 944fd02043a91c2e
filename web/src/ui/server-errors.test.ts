import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import en from '../i18n/en.json' with { type: 'json' };
import zhCN from '../i18n/zh-CN.json' with { type: 'json' };
import zhTW from '../i18n/zh-TW.json' with { type: 'json' };
import { ApiError } from '../app/api.ts';
import { errorSummary, localizeFieldError, serverFieldErrors } from './form.ts';

const i18n = i18next.createInstance();
await i18n.init({ resources: { en: { translation: en }, 'zh-CN': { translation: zhCN }, 'zh-TW': { translation: zhTW } }, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false } });
const tIn = (lng: string) => i18n.getFixedT(lng) as unknown as (k: string, o?: Record<string, unknown>) => string;

describe('server field errors in the user’s language', () => {
  const err = new ApiError(400, 'validation_error', 'Some fields are invalid', [
    { path: 'email', message: 'A user with this email already exists', code: 'already_exists' },
    { path: 'accountId', message: 'Account not found', code: 'not_found', params: { entity: 'account' } },
    { path: 'name', message: 'Too big: expected string to have <=300 characters', code: 'too_big', params: { origin: 'string', maximum: 300 } },
    { path: 'employees', message: 'Too small: expected number to be >=0', code: 'too_small', params: { origin: 'number', minimum: 0 } },
    { path: 'needType', message: 'Unknown need type "x"', code: 'unknown_term', params: { vocabulary: 'need_type', value: 'x' } },
    { path: 'body.title', message: 'Required', code: 'required' },
    { path: 'fxRate', message: 'must be empty for USD orders (the base currency)', code: 'invalid' },
    { path: 'legacy', message: 'An old server without codes' },
    { path: 'future', message: 'A code this app does not know yet', code: 'quantum_state' },
  ]);

  it('translates by code in 简体中文 and 繁體中文, with the numbers and names from params', () => {
    const cn = serverFieldErrors(err, tIn('zh-CN'));
    expect(cn).toMatchObject({
      email: '该值已被使用',
      accountId: '找不到该客户',
      name: expect.stringContaining('300'),
      employees: expect.stringContaining('0'),
      needType: '“x”不是有效选项',
      title: zhCN.validation.required,
    });
    expect(cn.name).toMatch(/[\u4e00-\u9fff]/);
    expect(serverFieldErrors(err, tIn('zh-TW')).accountId).toBe('找不到該客戶');
    expect(serverFieldErrors(err, tIn('en')).accountId).toBe('Account not found');
  });

  it('falls back to the English message for `invalid`, a missing code or an unknown one', () => {
    const cn = serverFieldErrors(err, tIn('zh-CN'));
    expect(cn.fxRate).toBe('must be empty for USD orders (the base currency)');
    expect(cn.legacy).toBe('An old server without codes');
    expect(cn.future).toBe('A code this app does not know yet');
    // Without a translator (tests, scripts) the message is used as is.
    expect(localizeFieldError({ path: 'x', message: 'Required', code: 'required' })).toBe('Required');
  });

  it('a toast for field errors points at the fields in the user’s language; other errors keep their message', () => {
    expect(errorSummary(err, tIn('zh-CN'))).toBe('请检查标出的字段');
    expect(errorSummary(new ApiError(403, 'forbidden', 'No'), tIn('zh-CN'))).toBe('No');
  });
});
