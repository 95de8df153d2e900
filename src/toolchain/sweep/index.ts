export * from './request.ts';
export * from './result.ts';
export * from './cost.ts';
