/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.js', '**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { strict: true, allowJs: true, esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true, types: ['node', 'jest'] } }] },
	testTimeout: 60000,
};
