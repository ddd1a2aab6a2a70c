import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { poolConfigFromUrl } from "../server/db-config";

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

function reportCatalogTypesAsText(result: pg.QueryResult | undefined) {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

type Callback = (err: Error | null, result?: pg.QueryResult) => void;

/**
 * adapter-pg 6.19 cannot deserialize the catalog types `name` and `"char"`
 * that migrate's introspection returns (Prisma issue 27403). Their text form
 * is plain text, so this client reports them as text. The pool calls
 * `query` with a callback, other callers with a promise: both are covered.
 */
class CatalogAsTextClient extends pg.Client {
  // pg's overloads cannot be restated in a subclass, hence the loose types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as Callback;
      args[last] = (err: Error | null, result?: pg.QueryResult) =>
        callback(err, reportCatalogTypesAsText(result));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const returned = (super.query as (...a: any[]) => any)(...args);
    return returned instanceof Promise ? returned.then(reportCatalogTypesAsText) : returned;
  }
}

type ScriptRunner = {
  executeScript(script: string): Promise<void>;
  underlyingDriver(): pg.Pool;
  onError(error: unknown): never;
};

/**
 * adapter-pg 6.19 splits migration scripts on every ";", which cuts a
 * plpgsql function body in pieces. Postgres runs a multi-statement script
 * in one simple-protocol query, as psql would.
 */
function runScriptsWhole<T>(adapter: T): T {
  const runner = adapter as unknown as ScriptRunner;
  runner.executeScript = async (script) => {
    try {
      await runner.underlyingDriver().query(script);
    } catch (error) {
      runner.onError(error);
    }
  };
  return adapter;
}

class MigrationAdapterFactory extends PrismaPg {
  override async connect() {
    return runScriptsWhole(await super.connect());
  }

  override async connectToShadowDb() {
    return runScriptsWhole(await super.connectToShadowDb());
  }
}

export async function migrationAdapter() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: point it at a Postgres, or use `npm run dev`");
  }
  // A short idle timeout lets the CLI exit as soon as it is done.
  return new MigrationAdapterFactory({
    ...poolConfigFromUrl(url),
    Client: CatalogAsTextClient,
    idleTimeoutMillis: 50,
  });
}
