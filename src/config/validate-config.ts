import { Ajv } from "ajv";
import { CONFIG_SCHEMA } from "./schema.ts";

/** The config schema's validator. The charm bundle replaces this module with the same
 * validator precompiled at build time (ajv standalone code, see scripts/build.mjs), so a
 * hook does not pay for loading ajv and compiling the schema; tests compile it here. */
export const validateConfig = new Ajv({ allErrors: true, strict: true }).compile(CONFIG_SCHEMA);
