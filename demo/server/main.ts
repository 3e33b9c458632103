import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { watchConfig } from 'hotclass/node'
import { validateConfig } from './config.ts'
import { Lobby } from './lobby.ts'

/**
 * The demo game server's entry: it runs once and holds the lobby, the loops and the HTTP socket.
 * Everything worth editing live is in the reloadable classes it imports (player.ts, room.ts,
 * lobby.ts) and in config.json; the host does not re-run this file (that would start a second loop).
 *
 *   npx hotclass run demo/server/main.ts [--port 8787]
 */

const config = watchConfig(fileURLToPath(new URL('./config.json', import.meta.url)), validateConfig)
const lobby = new Lobby(config.value)
for (let i = 1; i <= config.value.rooms * config.value.botsPerRoom; i++) lobby.join(`bot-${i}`)

// Timers re-read the config every round, so a saved tickRate or status period applies at once.
let last = performance.now()
function step(): void {
  const now = performance.now()
  lobby.tick(Math.min(0.25, (now - last) / 1000))
  last = now
  setTimeout(step, 1000 / config.value.tickRate)
}
function status(): void {
  console.log(lobby.summary())
  setTimeout(status, config.value.statusEverySeconds * 1000)
}
step()
setTimeout(status, config.value.statusEverySeconds * 1000)

const portArg = process.argv.indexOf('--port')
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8787
const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (req.method === 'GET' && url.pathname === '/state') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(lobby.snapshot()))
  } else if (req.method === 'POST' && url.pathname === '/join') {
    const name = url.searchParams.get('name') || `guest-${Date.now() % 10000}`
    const room = lobby.join(name)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, room: room.name }))
  } else {
    res.writeHead(404).end('try GET /state or POST /join?name=you\n')
  }
})
http.listen(port, () => {
  console.log(`demo server listening on http://localhost:${(http.address() as AddressInfo).port}`)
})
