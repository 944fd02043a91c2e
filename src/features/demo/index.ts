/** The demo organization generator: `accord demo`, first start, tests and benchmarks. */
export {
  generateDemo, ensureDemo, demoLogins, DEMO_PASSWORD, DEFAULT_DEMO_ACCOUNTS, DEFAULT_DEMO_SEED, DEMO_EMAIL_DOMAIN, DEMO_ORG_NAME, DEMO_SLUG,
  type DemoOptions, type DemoResult, type DemoLogin, type DemoPhase,
} from './generate.ts';
export { seedVocabularies, DEFAULT_STAGE_EXIT_CRITERIA } from './vocabularies.ts';
