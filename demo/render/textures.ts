// oxlint-disable unicorn/no-array-fill-with-reference-type -- pixi's Graphics.fill() takes a style, not an array fill value
import { Graphics, Rectangle, Texture } from 'pixi.js'
import type { Renderer } from 'pixi.js'

/** The shapes an entity can be drawn as. Each is one white texture, coloured per sprite by its tint. */
export type Shape = 'ship' | 'triangle' | 'hexagon' | 'circle' | 'diamond' | 'spark'

/** Textures are drawn at this radius; a sprite is scaled by `radius / TEXTURE_RADIUS`. */
export const TEXTURE_RADIUS = 32

// Module state that hotclass keeps when this module is swapped (its declarations are unchanged), so the
// entities' sprites and the renderer outlive edits to the drawing code below.
const textures = new Map<Shape, Texture>()
let renderer: Renderer | undefined

/** Polygon points around the origin, one vertex pointing right (angle 0 is "forward" for entities). */
function polygon(sides: number, radius: number, rotation = 0): number[] {
  const points: number[] = []
  for (let i = 0; i < sides; i++) {
    const a = rotation + (i / sides) * Math.PI * 2
    points.push(Math.cos(a) * radius, Math.sin(a) * radius)
  }
  return points
}

function draw(shape: Shape): Graphics {
  const r = TEXTURE_RADIUS - 3
  const g = new Graphics()
  // Body slightly below full white and a white rim: once tinted, the rim reads as a highlight.
  const body = { color: 0xc8c8c8 }
  const rim = { width: 3, color: 0xffffff }
  switch (shape) {
    case 'ship':
      g.poly([r, 0, -r * 0.8, r * 0.75, -r * 0.4, 0, -r * 0.8, -r * 0.75])
        .fill(body)
        .stroke(rim)
      break
    case 'triangle':
      g.poly(polygon(3, r)).fill(body).stroke(rim)
      break
    case 'hexagon':
      g.poly(polygon(6, r)).fill(body).stroke(rim)
      g.poly(polygon(6, r * 0.45)).fill({ color: 0xffffff })
      break
    case 'circle':
      g.circle(0, 0, r).fill({ color: 0xffffff })
      break
    case 'diamond':
      g.poly(polygon(4, r)).fill(body).stroke(rim)
      break
    case 'spark':
      g.circle(0, 0, r).fill({ color: 0xffffff, alpha: 0.9 })
      break
    default: {
      const unknown: never = shape
      throw new Error(`no drawing for shape ${String(unknown)}`)
    }
  }
  return g
}

const SHAPES: readonly Shape[] = ['ship', 'triangle', 'hexagon', 'circle', 'diamond', 'spark']

/**
 * Draw every shape; call after the renderer exists and before the first entity is made. Drawing again
 * replaces the textures: each sprite picks up its new one on its next frame (Entity.sync compares them).
 */
export function buildTextures(target: Renderer): void {
  renderer = target
  const size = TEXTURE_RADIUS * 2
  for (const shape of SHAPES) {
    const g = draw(shape)
    // A fixed frame centred on the origin, so every texture's centre is the shape's centre.
    const frame = new Rectangle(-TEXTURE_RADIUS, -TEXTURE_RADIUS, size, size)
    // The old texture is left to the garbage collector rather than destroyed: a paused game's sprites
    // still show it until their next sync, and six 64 px textures per edit are nothing in development.
    textures.set(shape, target.generateTexture({ target: g, frame, antialias: true }))
    g.destroy()
  }
}

/** The texture for a shape; a plain white square if `buildTextures` has not run (never in the game). */
export function textureFor(shape: Shape): Texture {
  return textures.get(shape) ?? Texture.WHITE
}

// A swap re-runs this module's top level with its state kept: redraw with the edited code at once.
if (renderer) buildTextures(renderer)
