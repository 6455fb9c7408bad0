export * from './gatehouse-error.js';
export * from './registry.js';
