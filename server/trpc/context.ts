import { after } from "next/server";
import { currentUser } from "../auth/session";
import { db } from "../db";
import { appEngine } from "../app-engine";
import type { Context } from "./init";

/** The context of a request from the console: the session's user, the engine, and work after the response. */
export async function createRequestContext(): Promise<Context> {
  return {
    db: db(),
    engine: appEngine,
    user: await currentUser(),
    afterResponse: (work) => after(work),
  };
}
