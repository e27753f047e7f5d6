export * from './cutover-endpoint';
export * from './weighted-cutover';
