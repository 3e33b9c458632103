import { Server } from '@colyseus/core'
import { WebSocketTransport } from '@colyseus/ws-transport'
import { ArenaRoom } from './arena-room.ts'

/**
 * The entry: runs once and owns the server. Edit the rooms and schemas it imports, not this file.
 *
 *   npx hotclass run examples/colyseus/server.ts [--port <n>]     (a free port unless --port names one)
 */

const portArg = process.argv.indexOf('--port')
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0

const server = new Server({
  transport: new WebSocketTransport(),
  greet: false,
  // Colyseus' default installs an uncaughtException handler that shuts the server down: under hotclass an
  // error from an edit is reported and the server keeps running instead. Keep the default in production.
  gracefullyShutdown: false,
})
server.define('arena', ArenaRoom)
await server.listen(port, '127.0.0.1')

const address = server.transport.server?.address()
const bound = typeof address === 'object' && address ? address.port : port
console.log(`arena listening on ws://127.0.0.1:${bound}`)
