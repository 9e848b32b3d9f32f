/** The networking tables (VPCs, subnets, security groups, internet gateways): written by the networking part. */
export const NETWORK_SCHEMA: readonly string[] = [];
