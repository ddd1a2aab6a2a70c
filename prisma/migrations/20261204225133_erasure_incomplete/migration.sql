-- AlterEnum
ALTER TYPE "ErasureStatus" ADD VALUE 'INCOMPLETE';

-- AlterTable
ALTER TABLE "erasure_requests" ADD COLUMN     "incomplete_reason" TEXT;
