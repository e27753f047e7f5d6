export * from './cutover-endpoint-kind';
export * from './cutover-endpoint';
export * from './weighted-cutover';
export * from './weighted-cutover-props';
