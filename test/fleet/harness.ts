import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { start } from '../helpers/child-process.ts'
import type { Running } from '../helpers/child-process.ts'
import { startRedis } from './redis.ts'
import type { RedisServer } from './redis.ts'

const bin = join(process.cwd(), 'bin/hotclass.js')
export const secret = 'test-secret-of-the-fleet'
let counter = 0

/** The enemy module of the fixture game, version `speed`; `extra` adds an import line. */
export const enemy = (speed: number, extra = '') => `import { reloadable } from 'hotclass'
${extra}
@reloadable()
export class Enemy {
  hp = 10
  speed() {
    return ${speed}
  }
}
`

export const player = (name: string) => `import { reloadable } from 'hotclass'

@reloadable()
export class Player {
  name() {
    return '${name}'
  }
}
`

/** The entry: one live Enemy and Player; a line "state" on stdin prints what they run now. */
const server = `import { Enemy } from './enemy.ts'
import { Player } from './player.ts'

const enemy = new Enemy()
const player = new Player()
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  for (const line of String(chunk).split('\\n')) {
    if (line.trim() === 'state') console.log('state ' + JSON.stringify({ speed: enemy.speed(), hp: enemy.hp, name: player.name() }))
  }
})
console.log('ready')
`

export interface Fleet {
  redis: RedisServer
  name: string
  /** The coordinator's checkout: saves happen here. */
  coordinatorRoot: string
  /** Members run from copies of the project taken before any save: other machines, other disks. */
  memberRoot(index: number): string
  save(file: string, source: string): void
  /** A `hotclass` process with the fleet's secret in its environment. */
  cli(args: string[], cwd: string, env?: Record<string, string>): Running
  coordinator(extra?: string[]): Running
  member(index: number, id: string, env?: Record<string, string>): Running
  /** Ask a member what its live objects run now. */
  state(member: Running): Promise<{ speed: number; hp: number; name: string }>
  cleanup(): Promise<void>
}

function write(root: string, file: string, source: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true })
  writeFileSync(join(root, file), source)
}

export async function fleet(label: string, members: number): Promise<Fleet> {
  const base = join(process.cwd(), 'test/.tmp', `fleet-${label}-${process.pid}-${++counter}`)
  const coordinatorRoot = join(base, 'coordinator')
  write(coordinatorRoot, 'src/enemy.ts', enemy(1))
  write(coordinatorRoot, 'src/player.ts', player('ada'))
  write(coordinatorRoot, 'src/server.ts', server)
  write(coordinatorRoot, 'src/extra.ts', 'export const extra = 1\n')
  const memberRoot = (i: number) => join(base, `member-${i}`)
  for (let i = 0; i < members; i++) cpSync(coordinatorRoot, memberRoot(i), { recursive: true })
  const redis = await startRedis(join(base, 'redis'))
  const name = `fleet-${label}-${counter}`
  const running: Running[] = []
  const cli = (args: string[], cwd: string, env: Record<string, string> = {}) => {
    const vars = Object.entries({ HOTCLASS_FLEET_SECRET: secret, ...env }).map(([k, v]) => `${k}=${v}`)
    const child = start('/usr/bin/env', [...vars, process.execPath, bin, ...args], cwd, 20_000)
    running.push(child)
    return child
  }
  return {
    redis,
    name,
    coordinatorRoot,
    memberRoot,
    save: (file, source) => writeFileSync(join(coordinatorRoot, file), source),
    cli,
    coordinator: (extra = []) =>
      cli(['fleet', 'serve', '--redis', redis.url, '--name', name, '--deadline', '1500', ...extra], coordinatorRoot),
    member: (i, id, env) =>
      cli(['run', '--fleet', redis.url, '--name', name, '--member', id, 'src/server.ts'], memberRoot(i), env),
    async state(member) {
      const from = member.out.length
      member.child.stdin!.write('state\n')
      const line = await member.waitFor('out', /^state /, { from })
      return JSON.parse(line.slice('state '.length)) as { speed: number; hp: number; name: string }
    },
    async cleanup() {
      for (const child of running) child.kill()
      await Promise.all(running.map((c) => c.exited))
      await redis.stop()
      rmSync(base, { recursive: true, force: true })
    },
  }
}
