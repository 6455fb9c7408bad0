import { runCounterStoreConformance } from '../conformance/counters.suite.js';
import { createMemoryCounterStore } from './memory.js';

runCounterStoreConformance('memory', (clock) => Promise.resolve(createMemoryCounterStore({ clock })));
