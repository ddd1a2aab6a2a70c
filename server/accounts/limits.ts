/**
 * The bounds of a password and an API token's life, apart from the schemas
 * that enforce them (inputs.ts): the console's forms state them in their
 * hints without loading the schema library.
 */

export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt reads only the first 72 bytes: a longer password would be partly ignored. */
export const PASSWORD_MAX_BYTES = 72;

export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 365;
