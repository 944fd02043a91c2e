import { uuidv7 } from 'uuidv7';
import { organizations } from '../../db/schema/index.ts';
import { systemActor } from '../../kernel/actor.ts';
import type { Db } from '../../kernel/db/index.ts';
import { seedVocabularies } from '../vocabularies/commands.ts';
import { addUser } from '../users/commands.ts';

export interface NewOrganization {
  name: string;
  slug?: string;
  baseCurrency?: string;
  admin: { email: string; name: string; password: string };
}

/** A new tenant with its default vocabularies and a first admin, in one transaction. */
export async function createOrganization(db: Db, input: NewOrganization) {
  const id = uuidv7();
  const slug = input.slug ?? (input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'org') + '-' + id.slice(-6);
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ id, name: input.name, slug, baseCurrency: input.baseCurrency ?? 'USD' }).returning();
    await seedVocabularies(tx, id);
    const admin = await addUser(tx, systemActor(id), { ...input.admin, role: 'admin' });
    return { org: org!, admin };
  });
}
