export * from './accelerator-cutover';
export * from './edge-accelerator';
