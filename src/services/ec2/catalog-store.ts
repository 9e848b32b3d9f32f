/** The catalog tables (images, key pairs, volumes, launch templates): written by the catalog part. */
export const CATALOG_SCHEMA: readonly string[] = [];
