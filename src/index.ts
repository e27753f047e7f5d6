export * from './regional-network/connectivity';
export * from './regional-network/peering-routes';
export * from './regional-network/regional-network';
export * from './aurora-global-secondary/aurora-global-cluster';
export * from './aurora-global-secondary/aurora-global-secondary';
export * from './payment-fleet';
