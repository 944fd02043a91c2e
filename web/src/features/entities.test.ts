import { describe, expect, it } from 'vitest';
import { createSchema, ENTITIES, SERVER_SCHEMAS, type EntityName } from './entities.ts';
import { zodFieldErrors } from '../ui/form.ts';

const messages = { required: 'required', email: 'email', url: 'url', number: 'number' };

/** What the inline editor checks for one field: the field's own schema and the server's update schema. */
function inlineErrors(entity: EntityName, key: string, value: unknown) {
  const field = ENTITIES[entity].fields.find((f) => f.key === key)!;
  const schemas = [createSchema([field], messages), ...(SERVER_SCHEMAS[entity] ? [SERVER_SCHEMAS[entity].update] : [])];
  return zodFieldErrors(schemas, { [key]: value });
}

/** What the create form checks: every create field, and the server's create schema. */
function createErrors(entity: EntityName, values: Record<string, unknown>) {
  const fields = ENTITIES[entity].fields.filter((f) => f.create);
  const schemas = [createSchema(fields, messages), ...(SERVER_SCHEMAS[entity] ? [SERVER_SCHEMAS[entity].create] : [])];
  return zodFieldErrors(schemas, values);
}

describe('field schemas the forms validate with', () => {
  it('accept money as the API sends it (a decimal string) and as the number input gives it', () => {
    for (const [entity, key] of [['opportunities', 'amount'], ['accounts', 'annualRevenue'], ['accounts', 'totalAnnualDemand']] as const) {
      expect(inlineErrors(entity, key, '128000.00')).toEqual({});
      expect(inlineErrors(entity, key, 1200.5)).toEqual({});
      expect(inlineErrors(entity, key, 'abc')[key]).toBeDefined();
    }
  });
  it('accept a task priority as the number the API wants, on create and inline edit', () => {
    expect(createErrors('tasks', { title: 'Call back', priority: 1 })).toEqual({});
    expect(inlineErrors('tasks', 'priority', 3)).toEqual({});
    expect(inlineErrors('tasks', 'priority', 7).priority).toBeDefined();
  });
  it('accept a bare domain as a website (it is stored as https://…), and still reject what is no address', () => {
    expect(createErrors('accounts', { name: 'A', website: 'gm-lighting.cn' })).toEqual({});
    expect(SERVER_SCHEMAS.accounts!.create.parse({ name: 'A', website: 'gm-lighting.cn' })).toMatchObject({ website: 'https://gm-lighting.cn' });
    expect(createErrors('accounts', { name: 'A', website: 'not a url' }).website).toBeDefined();
  });
});
