import { errors } from '../errors.js';
import type { GraphCall } from '../http-types.js';
import type { GroupRecord, UserRecord } from '../tenant/state.js';

/** Looks up path keys; the 404 message quotes the key exactly as the caller gave it. */
export function userByKey(call: GraphCall, key: string): UserRecord {
  const user = call.state.findUser(key);
  if (!user) throw errors.notFound(key);
  return user;
}

export function groupById(call: GraphCall, id: string): GroupRecord {
  const group = call.state.findGroup(id);
  if (!group) throw errors.notFound(id);
  return group;
}
