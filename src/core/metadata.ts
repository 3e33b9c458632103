/**
 * reflect-metadata on the canonical class follows the newest version, so DI containers read the new
 * constructor's `design:paramtypes`. Works only when the user loaded `reflect-metadata` (it is what emits
 * the `design:*` keys); without it there is no metadata to move and these are no-ops.
 */

export interface MetadataApi {
  getOwnMetadataKeys(target: object, key?: PropertyKey): unknown[]
  getOwnMetadata(metadataKey: unknown, target: object, key?: PropertyKey): unknown
  defineMetadata(metadataKey: unknown, value: unknown, target: object, key?: PropertyKey): void
  deleteMetadata(metadataKey: unknown, target: object, key?: PropertyKey): boolean
}

/** reflect-metadata's API, when the program loaded it. */
export function metadataApi(): MetadataApi | undefined {
  const r = Reflect as unknown as Partial<MetadataApi>
  return typeof r.getOwnMetadataKeys === 'function' && typeof r.defineMetadata === 'function'
    ? (r as MetadataApi)
    : undefined
}

/** The metadata of one target, at class level (`undefined` key) and for each member key. */
export type MetadataSnapshot = Array<{ key: PropertyKey | undefined; entries: Array<[unknown, unknown]> }>

function read(m: MetadataApi, target: object, key: PropertyKey | undefined): Array<[unknown, unknown]> {
  const keys = key === undefined ? m.getOwnMetadataKeys(target) : m.getOwnMetadataKeys(target, key)
  return keys.map((k) => [k, key === undefined ? m.getOwnMetadata(k, target) : m.getOwnMetadata(k, target, key)])
}

/** Read all own metadata of `target` for the class itself and for `memberKeys`. */
export function snapshotMetadata(target: object, memberKeys: Iterable<PropertyKey>): MetadataSnapshot {
  const m = metadataApi()
  if (!m) return []
  const out: MetadataSnapshot = [{ key: undefined, entries: read(m, target, undefined) }]
  for (const key of memberKeys) out.push({ key, entries: read(m, target, key) })
  return out
}

/** Make `target`'s own metadata exactly `snapshot` for every key the snapshot or `alsoClear` names. */
export function applyMetadata(target: object, snapshot: MetadataSnapshot, alsoClear: Iterable<PropertyKey> = []): void {
  const m = metadataApi()
  if (!m) return
  const keys = new Set<PropertyKey | undefined>([undefined, ...alsoClear, ...snapshot.map((s) => s.key)])
  for (const key of keys) {
    for (const [k] of read(m, target, key)) {
      if (key === undefined) m.deleteMetadata(k, target)
      else m.deleteMetadata(k, target, key)
    }
  }
  for (const { key, entries } of snapshot) {
    for (const [k, v] of entries) {
      if (key === undefined) m.defineMetadata(k, v, target)
      else m.defineMetadata(k, v, target, key)
    }
  }
}
