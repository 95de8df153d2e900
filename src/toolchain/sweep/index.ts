export * from './request.ts';
export * from './result.ts';
