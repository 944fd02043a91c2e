import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { organizations } from '../../db/schema/index.ts';
import { systemActor } from '../../kernel/actor.ts';
import { createOrganization } from '../../features/organizations/commands.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { addUser, importTeam } from '../../features/users/commands.ts';
import { teamImport, userCreate } from '../../features/users/schemas.ts';
import { teamFileRows } from '../../features/users/team-file.ts';
import { openConfigured } from '../open.ts';

/** The organization a command acts on: by slug, or the only one; a message and exit code 2 otherwise. */
async function oneOrganization(database: Awaited<ReturnType<typeof openConfigured>>['database'], slug?: string) {
  const orgs = slug ? await database.db.select().from(organizations).where(eq(organizations.slug, slug)) : await database.db.select().from(organizations);
  if (orgs.length === 1) return orgs[0]!;
  console.error(slug ? `No organization with slug ${slug}` : 'Several organizations exist: choose one with --org <slug>');
  process.exitCode = 2;
  return undefined;
}

export function userCommand(program: Command) {
  const user = program.command('user').description('Manage users');
  user
    .command('add')
    .description('Add a user to an organization (or create the organization with --new-org)')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .requiredOption('--password <password>')
    .option('--role <role>', 'admin | manager | rep | viewer', 'rep')
    .option('--team <team>')
    .option('--department <department>')
    .option('--org <slug>', 'organization slug (default: the only organization)')
    .option('--new-org <name>', 'create a new organization with this user as its admin')
    .action(async (o: { email: string; name: string; password: string; role: string; team?: string; department?: string; org?: string; newOrg?: string }) => {
      const { database } = await openConfigured();
      try {
        const input = userCreate.safeParse({ email: o.email, name: o.name, password: o.password, role: o.role, team: o.team, department: o.department });
        if (!input.success) {
          for (const i of input.error.issues) console.error(`${i.path.join('.')}: ${i.message}`);
          process.exitCode = 2;
          return;
        }
        if (o.newOrg) {
          const { org, admin } = await createOrganization(database.db, { name: o.newOrg, admin: { email: o.email, name: o.name, password: o.password } });
          console.log(`Created organization ${org.name} (${org.slug}) with admin ${admin.email}`);
          return;
        }
        const org = await oneOrganization(database, o.org);
        if (!org) return;
        const u = await database.db.transaction((tx) => addUser(tx, systemActor(org.id), input.data));
        console.log(`Added ${u.role} ${u.email} to ${org.name}`);
      } finally {
        await database.close();
      }
    });
  user
    .command('import')
    .description('Import a team file (CSV: name, email, team, department, role; English or Chinese headers): people who match no user by e-mail or name become inactive users without a login')
    .argument('<file>', 'CSV file')
    .option('--org <slug>', 'organization slug (default: the only organization)')
    .option('--dry-run', 'report what would happen, change nothing')
    .action(async (file: string, o: { org?: string; dryRun?: boolean }) => {
      const records = parse(readFileSync(file), { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
      const input = teamImport.safeParse({ members: teamFileRows(records), dryRun: !!o.dryRun });
      if (!input.success) {
        for (const i of input.error.issues) console.error(`${i.path[0] === 'members' ? `line ${Number(i.path[1]) + 2}` : i.path.join('.')}: ${i.path.slice(2).join('.')} ${i.message}`);
        process.exitCode = 2;
        return;
      }
      const { database } = await openConfigured();
      try {
        const org = await oneOrganization(database, o.org);
        if (!org) return;
        const r = await importTeam(database.db, systemActor(org.id), input.data);
        const verb = r.dryRun ? 'would create' : 'created';
        console.log(`${r.created.length} ${verb} (inactive, no login), ${r.existing.length} already users, ${r.ambiguous.length} ambiguous`);
        for (const a of r.ambiguous) console.log(`line ${a.line}: "${a.name}" is the name of ${a.candidates.join(', ')}: give the e-mail`);
      } finally {
        await database.close();
      }
    });
}
