/**
 * The id of a plan or a run: a UUID as Postgres writes it. Apart from the
 * schema library (record-id.ts checks inputs with it), so that a page can
 * tell an id from other text without loading that library.
 */
export const RECORD_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is such an id: a page or a route answers "not found" or 400 before any query. */
export const isRecordUuid = (text: string) => RECORD_UUID.test(text);
