import { reloadable } from 'hotclass'
import type { Entity } from '../entities/Entity.ts'

/**
 * A uniform grid of buckets, rebuilt every frame, so collision checks look only at nearby entities:
 * with a few hundred enemies, all-pairs checks would be ~45 000 per frame.
 */
@reloadable()
export class SpatialGrid {
  private readonly buckets = new Map<number, Entity[]>()
  // Buckets emptied last frame are reused instead of reallocated: no garbage in the steady state.
  private readonly used: Entity[][] = []

  constructor(readonly cellSize = 64) {}

  clear(): void {
    for (const bucket of this.used) bucket.length = 0
    this.used.length = 0
  }

  private key(cx: number, cy: number): number {
    // Arena coordinates are small and non-negative after clamping; 4096 columns is far beyond any screen.
    return (cy + 1) * 4096 + (cx + 1)
  }

  insert(entity: Entity): void {
    const key = this.key(Math.floor(entity.x / this.cellSize), Math.floor(entity.y / this.cellSize))
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = []
      this.buckets.set(key, bucket)
    }
    if (bucket.length === 0) this.used.push(bucket)
    bucket.push(entity)
  }

  /** Call `visit` for every entity in the cells a circle overlaps; stop early when it returns true. */
  query(x: number, y: number, radius: number, visit: (other: Entity) => boolean | void): void {
    const s = this.cellSize
    const x0 = Math.floor((x - radius) / s)
    const x1 = Math.floor((x + radius) / s)
    const y0 = Math.floor((y - radius) / s)
    const y1 = Math.floor((y + radius) / s)
    for (let cy = y0; cy <= y1; cy++) {
      for (let cx = x0; cx <= x1; cx++) {
        const bucket = this.buckets.get(this.key(cx, cy))
        if (!bucket) continue
        for (const other of bucket) if (visit(other) === true) return
      }
    }
  }
}
