export * from './props';
export * from './dms-replication';
export * from './service-roles';
