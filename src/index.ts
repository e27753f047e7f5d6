export * from './regional-network/connectivity';
export * from './regional-network/peering-routes';
export * from './regional-network/regional-network';
