/**
 * Imported first by `npm run worker`: it runs as production unless NODE_ENV
 * says otherwise, as `next start` does. An operator who starts it as the
 * README says then gets a production deployment's checks (storage chosen,
 * the app's own role, no demo login) and JSON logs; a development
 * database's worker says NODE_ENV=development.
 */
if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: "production" });
