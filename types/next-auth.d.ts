import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    userId?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: number;
  }
}
