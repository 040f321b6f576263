/** In-memory object storage with one global resourceVersion counter, like etcd's revision. */
import { clone, isObj, meta, type Obj, str } from "./json.ts";

export class ObjectStore {
  private revision = 100;
  private readonly buckets = new Map<string, Map<string, Obj>>();

  get currentRevision(): string {
    return String(this.revision);
  }

  private bucket(key: string): Map<string, Obj> {
    let b = this.buckets.get(key);
    if (!b) {
      b = new Map();
      this.buckets.set(key, b);
    }
    return b;
  }

  get(key: string, namespace: string | undefined, name: string): Obj | undefined {
    const o = this.bucket(key).get(`${namespace ?? ""}/${name}`);
    return o ? clone(o) : undefined;
  }

  /** All objects of a bucket, optionally in one namespace, sorted like the server (ns, name). */
  list(key: string, namespace?: string): Obj[] {
    return [...this.bucket(key).entries()]
      .filter(([, o]) => namespace === undefined || namespaceOf(o) === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  /** Store a write: stamps a fresh resourceVersion and returns the stored copy. */
  put(key: string, obj: Obj): Obj {
    this.revision++;
    const stored = clone(obj);
    meta(stored)["resourceVersion"] = String(this.revision);
    this.bucket(key).set(`${namespaceOf(stored) ?? ""}/${nameOf(stored)}`, stored);
    return clone(stored);
  }

  remove(key: string, namespace: string | undefined, name: string): Obj | undefined {
    const id = `${namespace ?? ""}/${name}`;
    const o = this.bucket(key).get(id);
    if (!o) return undefined;
    this.bucket(key).delete(id);
    this.revision++;
    return o;
  }

  keys(): string[] {
    return [...this.buckets.keys()];
  }

  dropBucket(key: string): void {
    if (this.buckets.delete(key)) this.revision++;
  }

  /** Everything stored and the revision, as copies: restore() returns the store to exactly this. */
  snapshot(): StoreSnapshot {
    return { revision: this.revision, buckets: copyBuckets(this.buckets) };
  }

  restore(snapshot: StoreSnapshot): void {
    this.revision = snapshot.revision;
    this.buckets.clear();
    for (const [key, bucket] of copyBuckets(snapshot.buckets)) this.buckets.set(key, bucket);
  }
}

export interface StoreSnapshot {
  readonly revision: number;
  readonly buckets: ReadonlyMap<string, ReadonlyMap<string, Obj>>;
}

function copyBuckets(buckets: ReadonlyMap<string, ReadonlyMap<string, Obj>>): Map<string, Map<string, Obj>> {
  return new Map(
    [...buckets].map(([key, bucket]) => [key, new Map([...bucket].map(([id, o]) => [id, clone(o)]))]),
  );
}

export function nameOf(o: Obj): string {
  return (isObj(o["metadata"]) ? str(o["metadata"]["name"]) : undefined) ?? "";
}

export function namespaceOf(o: Obj): string | undefined {
  return isObj(o["metadata"]) ? str(o["metadata"]["namespace"]) : undefined;
}

export function uidOf(o: Obj): string | undefined {
  return isObj(o["metadata"]) ? str(o["metadata"]["uid"]) : undefined;
}
