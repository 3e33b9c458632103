/**
 * Everything patching may touch on a class, as plain data: own descriptors of the constructor and the
 * prototype (functions kept by identity) and both [[Prototype]] links. Two equal fingerprints mean the
 * class is exactly as it was.
 */
const own = (o: object) =>
  Reflect.ownKeys(o).map((k) => [typeof k === 'symbol' ? k.toString() : k, Object.getOwnPropertyDescriptor(o, k)])

export function fingerprint(cls: Function): unknown {
  return {
    ctor: own(cls),
    proto: own(cls.prototype),
    ctorParent: Object.getPrototypeOf(cls),
    protoParent: Object.getPrototypeOf(cls.prototype),
  }
}
