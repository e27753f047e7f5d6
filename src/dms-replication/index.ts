export * from './props';
export * from './dms-replication';
export * from './service-roles';
export * from './dms-replication-base';
