export * from './organizations.ts';
export * from './records.ts';
export * from './domain.ts';
export * from './reports.ts';
export * from './products.ts';
export * from './surveys.ts';
export * from './feedback.ts';
export * from './login.ts';
