import { describe, expect, it } from 'vitest'
import { parseFleetArgs, takeMemberArgs } from '../../src/fleet/args.ts'
import { FleetErrorCodes } from '../../src/fleet/errors.ts'
import { parseDown, parseReply, parseUp } from '../../src/fleet/messages.ts'
import { open, sign } from '../../src/fleet/sign.ts'

describe('hotclass run --fleet', () => {
  it('takes the fleet options before the entry and leaves the rest to the run parser', () => {
    const { member, rest } = takeMemberArgs([
      'run',
      '--fleet',
      'redis://h:1',
      '--root',
      'game',
      '--name',
      'arena',
      'src/s.ts',
      '--name',
      'x',
    ])
    expect(member).toEqual({ redis: 'redis://h:1', fleet: 'arena', member: undefined })
    expect(rest).toEqual(['run', '--root', 'game', 'src/s.ts', '--name', 'x'])
  })

  it('changes nothing without --fleet', () => {
    expect(takeMemberArgs(['run', '--probe', 'src/s.ts'])).toEqual({
      member: undefined,
      rest: ['run', '--probe', 'src/s.ts'],
    })
  })

  it('refuses --fleet without --name, and --name without --fleet', () => {
    expect(() => takeMemberArgs(['run', '--fleet', 'redis://h', 's.ts'])).toThrow(
      expect.objectContaining({ code: FleetErrorCodes.USAGE }),
    )
    expect(() => takeMemberArgs(['run', '--name', 'a', 's.ts'])).toThrow(/belong to --fleet/)
  })
})

describe('hotclass fleet', () => {
  it('parses serve with its options', () => {
    const args = parseFleetArgs(['serve', '--redis', 'redis://h', '--name', 'arena', '--deadline', '200'])
    expect(args).toMatchObject({ command: 'serve', redis: 'redis://h', fleet: 'arena', timeoutMs: 200 })
  })

  it('parses serve --probe and apply; --probe belongs to serve', () => {
    expect(parseFleetArgs(['serve', '--probe', '--redis', 'r', '--name', 'a'])).toMatchObject({
      command: 'serve',
      probe: true,
    })
    expect(parseFleetArgs(['apply', '--redis', 'r', '--name', 'a'])).toMatchObject({ command: 'apply', probe: false })
    expect(() => parseFleetArgs(['apply', '--probe', '--redis', 'r', '--name', 'a'])).toThrow(/--probe belongs to/)
  })

  it('needs --redis and --name, and knows its commands', () => {
    expect(() => parseFleetArgs(['status', '--name', 'a'])).toThrow(/needs --redis/)
    expect(() => parseFleetArgs(['deploy', '--redis', 'r', '--name', 'a'])).toThrow(/Unknown fleet command/)
    expect(parseFleetArgs([]).command).toBe('help')
  })
})

describe('signed messages', () => {
  const patch = {
    type: 'patch',
    fleet: 'f',
    version: 1,
    round: 'r1',
    kind: 'patch',
    modules: [],
    order: [],
    timeoutMs: 10,
  }

  it('opens what the same secret signed, and nothing else', () => {
    const raw = sign('s', { type: 'prepare', patch })
    expect(parseDown(open('s', raw), 'f')).toEqual({ type: 'prepare', patch })
    expect(open('other', raw)).toBeUndefined()
    expect(open('s', JSON.stringify({ body: JSON.stringify({ type: 'prepare', patch }) }))).toBeUndefined()
    const tampered = JSON.parse(raw) as { body: string; sig: string }
    tampered.body = tampered.body.replace('"version":1', '"version":2')
    expect(open('s', JSON.stringify(tampered))).toBeUndefined()
  })

  it('drops signed bodies that are not messages of this fleet', () => {
    expect(parseDown({ type: 'prepare', patch: { ...patch, fleet: 'g' } }, 'f')).toBeUndefined()
    expect(parseDown({ type: 'prepare', patch: { ...patch, version: -1 } }, 'f')).toBeUndefined()
    expect(parseDown({ type: 'launch' }, 'f')).toBeUndefined()
    const { round: _round, ...roundless } = patch
    expect(parseDown({ type: 'prepare', patch: roundless }, 'f')).toBeUndefined()
  })

  it('parses requests and replies, and nothing else on their channels', () => {
    const request = { type: 'request', fleet: 'f', action: 'apply', id: 'i', from: 'h:1' }
    expect(parseUp(request, 'f')).toEqual(request)
    expect(parseUp({ ...request, action: 'deploy' }, 'f')).toBeUndefined()
    expect(parseUp({ ...request, id: undefined }, 'f')).toBeUndefined()
    const reply = { type: 'reply', fleet: 'f', id: 'i', ok: false, line: 'nothing pending' }
    expect(parseReply(reply, 'f')).toEqual(reply)
    expect(parseReply({ ...reply, fleet: 'g' }, 'f')).toBeUndefined()
    expect(parseReply({ ...reply, ok: 'no' }, 'f')).toBeUndefined()
  })
})
