import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so that env validation and the database
// handle are only touched when a request arrives, not at build time.
const handler = (req: NextRequest, context: RouteContext) => NextAuth(req, context, authOptions());

export { handler as GET, handler as POST };
