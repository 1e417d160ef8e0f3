// Camunda 8.6's REST API gives every key as a JSON int64 number (its SDKs read them losslessly;
// the Java client as `long`). Job keys are the store's integers already. Instances and
// definitions have string ids, so their keys are derived from the id: 51 bits of its SHA-256,
// above 2^51 so that Zeebe's Protocol.decodePartitionId reads partition 1, as /topology says.
// Derived, not counted: every server on a store answers the same key for an id, across restarts,
// and the key stays below 2^53 (exact in JavaScript). Two ids share a key with odds of about
// n²/2^52 (one in 4,500 at a million instances); the activation audit entry names both, so a
// key is read back to its instance there.
import crypto from 'node:crypto';

export function camundaKey(id: string): number {
  const hash = crypto.createHash('sha256').update(id).digest();
  return 2 ** 51 + hash.readUIntBE(0, 6) * 8 + (hash[6]! >> 5);
}
