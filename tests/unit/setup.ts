// Dexie needs an IndexedDB; fake-indexeddb provides one in Node.
import 'fake-indexeddb/auto';
