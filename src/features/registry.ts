import type { FastifyInstance } from 'fastify';
import type { Config } from '../kernel/config.ts';
import type { Database, Db } from '../kernel/db/index.ts';
import { accountResource } from './accounts/resource.ts';
import { accountGroupRoutes } from './accounts/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { exportRoutes } from './exports/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { twoFactorRoutes } from './auth/two-factor.ts';
import { buyingCenterRoutes } from './buying-center/routes.ts';
import { contactResource } from './contacts/resource.ts';
import { privacyRoutes } from './privacy/routes.ts';
import { opportunityRoutes } from './opportunities/routes.ts';
import { interactionResource } from './interactions/resource.ts';
import { taskResource } from './tasks/resource.ts';
import { noteResource } from './notes/resource.ts';
import { orderResource } from './orders/resource.ts';
import { viewRoutes } from './views/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { timelineRoutes } from './timeline/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { funnelRoutes } from './funnel/routes.ts';
import { goalRoutes } from './goals/routes.ts';
import { journeyRoutes } from './journey/routes.ts';
import { customFieldRoutes } from './custom-fields/routes.ts';
import { evaluationRoutes } from './evaluation/routes.ts';
import { segmentRoutes } from './segments/routes.ts';
import { userRoutes } from './users/routes.ts';
import { vocabularyRoutes } from './vocabularies/routes.ts';
import { cultureRoutes } from './culture/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { productRoutes } from './products/routes.ts';
import { surveyRoutes } from './surveys/routes.ts';
import { feedbackRoutes } from './feedback/routes.ts';

export interface FeatureContext {
  db: Db;
  database: Database;
  config: Pick<Config, 'secureCookies' | 'sessionDays' | 'bodyLimit'>;
}

/** Every feature's HTTP routes, one line each. */
export const features: ((app: FastifyInstance, ctx: FeatureContext) => void | Promise<void>)[] = [
  (app, { db, config }) => authRoutes(app, db, config),
  (app, { db }) => userRoutes(app, db),
  (app, { db }) => twoFactorRoutes(app, db),
  (app, { db }) => vocabularyRoutes(app, db),
  (app, { db }) => customFieldRoutes(app, db),
  (app, { db }) => accountResource.routes(app, () => db),
  (app, { db }) => accountGroupRoutes(app, db),
  (app, { db, database }) => buyingCenterRoutes(app, db, database),
  (app, { db }) => contactResource.routes(app, () => db),
  (app, { db }) => privacyRoutes(app, db),
  (app, { db }) => opportunityRoutes(app, db),
  (app, { db }) => interactionResource.routes(app, () => db),
  (app, { db }) => taskResource.routes(app, () => db),
  (app, { db }) => noteResource.routes(app, () => db),
  (app, { db }) => orderResource.routes(app, () => db),
  (app, { db }) => viewRoutes(app, db),
  (app, { db }) => searchRoutes(app, db),
  (app, { db }) => timelineRoutes(app, db),
  (app, { db }) => auditRoutes(app, db),
  (app, { db }) => goalRoutes(app, db),
  (app, { db }) => funnelRoutes(app, db),
  (app, { db }) => journeyRoutes(app, db),
  (app, { db }) => cultureRoutes(app, db),
  (app, { database }) => evaluationRoutes(app, database),
  (app, { db }) => segmentRoutes(app, db),
  (app, { database }) => importRoutes(app, database),
  (app, { database }) => exportRoutes(app, database),
  (app, { db }) => reportRoutes(app, db),
  (app, { db }) => productRoutes(app, db),
  (app, { db }) => surveyRoutes(app, db),
  (app, { db }) => feedbackRoutes(app, db),
];
