/** The seeded generator of the source, for simulations and synthetic records in tests. */
export { seededRandom, type Random } from '../../src/stats/seeded-random.js';
