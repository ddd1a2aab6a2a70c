import { router } from "./init";
import { auditRouter } from "./routers/audit";
import { environmentsRouter, incidentsRouter, storageRouter } from "./routers/console";
import { deletionsRouter } from "./routers/deletions";
import { erasureRouter } from "./routers/erasure";
import { holdsRouter } from "./routers/holds";
import { orgsRouter } from "./routers/orgs";
import { overviewRouter } from "./routers/overview";
import { policiesRouter } from "./routers/policies";
import { purgeRouter } from "./routers/purge";

export const appRouter = router({
  audit: auditRouter,
  environments: environmentsRouter,
  incidents: incidentsRouter,
  storage: storageRouter,
  deletions: deletionsRouter,
  erasure: erasureRouter,
  holds: holdsRouter,
  orgs: orgsRouter,
  overview: overviewRouter,
  policies: policiesRouter,
  purge: purgeRouter,
});

export type AppRouter = typeof appRouter;
