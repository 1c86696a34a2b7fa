// Integration tier: one connection for the tier, clean collections before every test.
import type { RootHookObject } from 'mocha';
import { clearCollections, connectTestDatabase } from '../support/database.js';

export const rootHooks: RootHookObject = {
  async beforeAll() {
    await connectTestDatabase();
  },
  async beforeEach() {
    await clearCollections();
  },
};
