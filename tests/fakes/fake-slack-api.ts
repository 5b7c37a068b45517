/** The fake lives in src/testing, where the benchmark can use it too (scripts never import tests). */
export * from '../../src/testing/fake-slack-api.js';
