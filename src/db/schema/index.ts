export * from './organizations.ts';
export * from './records.ts';
export * from './domain.ts';
export * from './reports.ts';
export * from './login.ts';
