// The backend's integration tests import it from here; it lives in scripts/lib, which the bench uses too.
export * from '../../scripts/lib/collect.js';
