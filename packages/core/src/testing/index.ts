/**
 * `@ocular/core/testing`: the conformance kit for backend and plugin authors.
 * @module
 */
export {};
