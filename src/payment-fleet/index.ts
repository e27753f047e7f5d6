export * from './container-image';
export * from './payment-fleet-props';
export * from './payment-fleet';
