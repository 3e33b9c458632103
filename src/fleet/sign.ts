import { createHmac, timingSafeEqual } from 'node:crypto'
import { fleetErrors } from './errors.ts'

/** The environment variable every process of a fleet reads its shared secret from. */
export const secretVariable = 'HOTCLASS_FLEET_SECRET'

/** What travels on the bus: a JSON body and the HMAC-SHA256 of exactly those bytes. */
export interface Envelope {
  body: string
  sig: string
}

export function readSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env[secretVariable]
  if (!secret) throw fleetErrors.noSecret(secretVariable)
  return secret
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest()
}

export function sign(secret: string, message: unknown): string {
  const body = JSON.stringify(message)
  const envelope: Envelope = { body, sig: mac(secret, body).toString('base64') }
  return JSON.stringify(envelope)
}

/**
 * The body of a signed envelope, parsed, or undefined when the envelope is malformed, unsigned or
 * signed with another secret. The body is parsed only after its signature checks out: nothing an
 * outsider wrote is ever looked at beyond that.
 */
export function open(secret: string, raw: string): unknown {
  let envelope: unknown
  try {
    envelope = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (typeof envelope !== 'object' || envelope === null) return undefined
  const { body, sig } = envelope as Partial<Envelope>
  if (typeof body !== 'string' || typeof sig !== 'string') return undefined
  const given = Buffer.from(sig, 'base64')
  const expected = mac(secret, body)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}
