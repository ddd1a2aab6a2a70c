import { router } from "./init";
import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { deletionsRouter } from "./routers/deletions";
import { environmentsRouter } from "./routers/environments";
import { evidenceRouter } from "./routers/evidence";
import { erasureRouter } from "./routers/erasure";
import { exportsRouter } from "./routers/exports";
import { holdsRouter } from "./routers/holds";
import { incidentsRouter } from "./routers/incidents";
import { noticesRouter } from "./routers/notices";
import { orgsRouter } from "./routers/orgs";
import { overviewRouter } from "./routers/overview";
import { pinsRouter } from "./routers/pins";
import { policiesRouter } from "./routers/policies";
import { purgeRouter } from "./routers/purge";
import { restoreRouter } from "./routers/restore";
import { reviewRouter } from "./routers/review";
import { storageRouter } from "./routers/storage";
import { tokensRouter } from "./routers/tokens";
import { usersRouter } from "./routers/users";

export const appRouter = router({
  account: accountRouter,
  audit: auditRouter,
  environments: environmentsRouter,
  evidence: evidenceRouter,
  incidents: incidentsRouter,
  notices: noticesRouter,
  storage: storageRouter,
  deletions: deletionsRouter,
  erasure: erasureRouter,
  exports: exportsRouter,
  holds: holdsRouter,
  orgs: orgsRouter,
  overview: overviewRouter,
  pins: pinsRouter,
  policies: policiesRouter,
  purge: purgeRouter,
  restore: restoreRouter,
  review: reviewRouter,
  tokens: tokensRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
