import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

/**
 * Every page except /login needs a session. This is a first gate only:
 * each page, procedure and route handler checks the user and role itself.
 * API routes answer 401 on their own, so they are not redirected here.
 */
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const login = new URL("/login", request.url);
  const back = request.nextUrl.pathname + request.nextUrl.search;
  if (back !== "/") login.searchParams.set("callbackUrl", back);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!login|api/|_next/|favicon.ico|.*\\.(?:svg|png|ico|txt)$).*)"],
};
