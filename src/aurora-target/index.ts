export * from './aurora-target-cluster';
export * from './aurora-target-props';
