/** The compute tables (instances, volumes, images, key pairs, addresses, launch templates): written by the compute part. */
export const COMPUTE_SCHEMA: readonly string[] = [];
