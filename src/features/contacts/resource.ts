import { accounts, contacts, users } from '../../db/schema/index.ts';
import { nameField, Resource, type NameSpec } from '../../kernel/resource.ts';
import { completeName, type NameParts } from './rules.ts';
import { contactEngagementFields, withContactEngagement } from '../surveys/list-fields.ts';
import { contact, contactCreate, contactUpdate } from './schemas.ts';

const c = contacts;
const accountName: NameSpec = { from: 'accountId', table: accounts, column: accounts.name };
const ownerName: NameSpec = { from: 'ownerId', table: users, column: users.name };

export const contactResource = new Resource({
  name: 'contacts',
  entity: 'contact',
  label: 'Contact',
  table: c,
  schemas: { create: contactCreate, update: contactUpdate, record: contact },
  defaultSort: '-updatedAt',
  search: [c.fullName, c.email],
  ownerField: 'ownerId',
  names: { accountName, ownerName },
  expand: withContactEngagement,
  vocab: { source: 'lead_source' },
  refs: { accountId: { table: accounts, label: 'Account', softDeleted: true } },
  fields: {
    id: { column: c.id, type: 'uuid' },
    accountId: { column: c.accountId, type: 'uuid' },
    accountName: nameField(accountName, c.accountId, c.orgId),
    firstName: { column: c.firstName, type: 'text' },
    lastName: { column: c.lastName, type: 'text' },
    fullName: { column: c.fullName, type: 'text' },
    title: { column: c.title, type: 'text' },
    department: { column: c.department, type: 'text' },
    language: { column: c.language, type: 'text' },
    email: { column: c.email, type: 'text' },
    phone: { column: c.phone, type: 'text' },
    mobile: { column: c.mobile, type: 'text' },
    country: { column: c.country, type: 'text' },
    city: { column: c.city, type: 'text' },
    consent: { column: c.consent, type: 'enum', values: ['unknown', 'granted', 'denied'] },
    doNotEmail: { column: c.doNotEmail, type: 'boolean' },
    ownerId: { column: c.ownerId, type: 'uuid' },
    ownerName: nameField(ownerName, c.ownerId, c.orgId),
    source: { column: c.source, type: 'text' },
    aisasStep: { column: c.aisasStep, type: 'text' },
    tags: { column: c.tags, type: 'tags' },
    // Engagement (DOMAIN §8): the placement and 0–10 score of the contact's latest survey answer.
    ...contactEngagementFields(c.orgId, c.id),
    createdAt: { column: c.createdAt, type: 'timestamp' },
    updatedAt: { column: c.updatedAt, type: 'timestamp' },
  },
  prepare: (values, { existing }, errs) => {
    const touchesName = !existing || values.firstName !== undefined || values.lastName !== undefined || values.fullName !== undefined;
    if (!touchesName) return values;
    const current = existing ? (existing as unknown as NameParts) : null;
    const name = completeName(values as Partial<NameParts>, current);
    if (!name) {
      errs.add('fullName', 'Give a full name or a first or last name', 'required');
      return values;
    }
    return { ...values, ...name };
  },
});
