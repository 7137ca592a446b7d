export * from './overview';
export * from './entity';
