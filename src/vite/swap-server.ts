import { stat } from 'node:fs/promises'
import type { DevEnvironment, EnvironmentModuleNode, HotUpdateOptions, Logger, NormalizedHotChannelClient } from 'vite'
import { logger } from '../core/env.ts'
import { parseClientMessage } from '../client/protocol.ts'
import type { ClientMessage, FallbackMessage, ModuleProblem, PendingModule, StateMessage } from '../client/protocol.ts'
import type { HotclassPluginOptions } from './options.ts'
import { formatLocation } from '../core/source-location.ts'
import { dependencyOrder, projectImports, reachedAmong } from './order.ts'
import { LOAD_ERROR_EVENT, loadProblem, parseLoadError } from './load-errors.ts'
import { problemOf, toId } from './problems.ts'
import { propagate } from './propagation.ts'
import { stampModules } from './stamp.ts'

const log = logger('vite')

interface Tracked {
  info: Omit<PendingModule, 'needs'>
  node: EnvironmentModuleNode
  /** Pending for a save of its own, not only for the non-swappable files it carries (`via`). */
  self: boolean
}

/** The events the server listens to: one per client message, checked complete by the compiler. */
const clientEvents = ['hotclass:hello', 'hotclass:applied', 'hotclass:restamp'] as const satisfies ReadonlyArray<
  ClientMessage['type']
>
type Exhaustive = Exclude<ClientMessage['type'], (typeof clientEvents)[number]> extends never ? true : never
const exhaustive: Exhaustive = true

/**
 * The server half of the swap protocol, in probe and auto mode alike (the page decides when to swap).
 * For every page running the hotclass client it records the changed modules with their modification
 * times (DST's RequiredFilesForReload), tells the page what is pending, in dependency order, and
 * forgets an entry only when the page says that version is live.
 * The server alone decides what may be swapped: only project files, never node_modules or files
 * outside the root, so a page can never make it load anything else.
 */
export class SwapServer {
  private readonly pages = new Map<NormalizedHotChannelClient, Map<string, Tracked>>()
  private readonly problems = new Map<string, ModuleProblem>()
  /** Problems pages reported while loading, cleared when a page loads cleanly. */
  private readonly loadProblems = new Set<string>()
  private lastStamp = 0
  /** With `evaluate: 'function'`: the version of each module the page evaluates apart from its module map (`stamp`). */
  private readonly versions = new WeakMap<EnvironmentModuleNode, number>()
  /** Files whose changed version is being transformed by `check()` right now. */
  private readonly checking = new Set<string>()
  private toldNoClient = false
  /** Re-stamp requests not yet served, by page: a burst of them costs one re-stamp, not one each. */
  private readonly restampWanted = new Map<NormalizedHotChannelClient, Set<string>>()
  /** The re-stamp in progress (and any queued behind it): at most one runs at a time. */
  private restamping: Promise<void> = Promise.resolve()
  private restampScheduled = false

  constructor(
    private readonly env: DevEnvironment,
    private readonly options: Readonly<HotclassPluginOptions>,
    private readonly isSwappable: (file: string) => boolean,
    private readonly viteLogger: Logger,
  ) {
    void exhaustive
    for (const event of clientEvents) {
      env.hot.on(event, (data: unknown, client: NormalizedHotChannelClient) => {
        // Vite calls listeners without a catch: a throw here would end the dev server.
        try {
          const parsed = parseClientMessage(event, data)
          if (parsed.ok) this.receive(parsed.message, client)
          else log('dropped %s: %s', event, parsed.reason)
        } catch (error) {
          log('dropped %s: handling it threw %O', event, error)
        }
      })
    }
    env.hot.on(LOAD_ERROR_EVENT, (data: unknown, client: NormalizedHotChannelClient) => this.loadFailed(data, client))
    env.hot.on('vite:client:disconnect', (_data: unknown, client: NormalizedHotChannelClient) => {
      this.pages.delete(client)
      this.restampWanted.delete(client)
    })
  }

  /** Whether any page runs the hotclass client; without one, Vite's own HMR stays in charge. */
  get active(): boolean {
    return this.pages.size > 0
  }

  private receive(message: ClientMessage, client: NormalizedHotChannelClient): void {
    switch (message.type) {
      case 'hotclass:hello':
        // The page has just evaluated every module from disk: nothing is pending for it, and what
        // stopped an earlier load is gone.
        this.pages.set(client, new Map())
        for (const id of this.loadProblems) this.problems.delete(id)
        this.loadProblems.clear()
        this.broadcast()
        this.send(client)
        return
      case 'hotclass:applied': {
        const page = this.pages.get(client)
        if (!page) return
        for (const { id, t } of message.modules) {
          const entry = page.get(id)
          // A save that landed while the swap ran has a newer timestamp and stays pending.
          if (entry && entry.info.t <= t) page.delete(id)
        }
        this.send(client)
        return
      }
      case 'hotclass:restamp':
        this.requestRestamp(client, message.ids)
        return
      default: {
        const unknown: never = message
        log('ignored message %o', unknown)
      }
    }
  }

  /** The `hotUpdate` hook for the client environment: take what can be swapped, give Vite the rest. */
  async hotUpdate(update: HotUpdateOptions): Promise<EnvironmentModuleNode[] | undefined> {
    const root = this.env.config.root
    if (!this.active) {
      if (!this.toldNoClient && update.modules.some((m) => m.file && this.isSwappable(m.file))) {
        this.toldNoClient = true
        this.viteLogger.info(
          "[hotclass] no page runs 'hotclass/client': changes swap on save through Vite's HMR, without the probe",
          { timestamp: true },
        )
      }
      return undefined
    }
    if (update.type === 'delete') {
      // A deleted file cannot be swapped in; its importers fail to load, which Vite reports.
      const id = toId(update.file, root)
      for (const [client, page] of this.pages) if (page.delete(id)) this.send(client)
      return undefined
    }
    if (update.type !== 'update') return undefined
    // An editor's save can be seen mid-write (an empty file, then the text 1 ms later, with no second
    // change event): Vite's `read()` waits the empty read out, so the check below transforms the text.
    await update.read()
    const mtime = await stat(update.file).then(
      (s) => s.mtimeMs,
      () => Date.now(),
    )
    const rest: EnvironmentModuleNode[] = []
    const changes: Array<{ node: EnvironmentModuleNode; via?: string }> = []
    for (const mod of update.modules) {
      if (mod.type !== 'js' || !mod.file || !this.isProjectFile(mod.file)) {
        rest.push(mod)
        continue
      }
      const id = toId(mod.file, root)
      // Stamp first, so the fresh transform rewrites imports of it with this version's `?t=`.
      this.stamp([mod], update.timestamp)
      // Transform now: it catches a broken edit at once, tells whether the new code is still swappable,
      // and leaves the result cached, so the swap itself only fetches it.
      await this.check(mod, id)
      if (this.isSwappable(mod.file)) {
        changes.push({ node: mod })
        this.dropVia(id)
        continue
      }
      const result = propagate(
        mod,
        (n) => !!n.file && this.isProjectFile(n.file) && this.isSwappable(n.file),
        (n) => (n.file ? toId(n.file, root) : n.url),
      )
      if (result.kind === 'swap') {
        // The importers run again to pick the change up (it is their new version that imports it), and
        // those new versions import the changed module as a module, under its new `?t=`.
        this.stampForImport(mod, update.timestamp)
        this.stamp(result.boundaries, update.timestamp)
        for (const node of result.boundaries) changes.push({ node, via: id })
        continue
      }
      this.fallback({ type: 'hotclass:fallback', id, reason: result.reason, action: result.action })
      rest.push(mod)
    }
    if (changes.length > 0) {
      for (const page of this.pages.values()) {
        for (const { node, via } of changes) this.track(page, node, mtime, via)
      }
      this.refreshStamps()
      this.broadcast()
    }
    return rest
  }

  /**
   * New versions for these modules only (and their pending importers), never for the rest of the graph.
   * With `evaluate: 'function'` the page evaluates them apart from its module map: Vite keeps the version
   * the page has as a module (`stampModules`), and the new one is kept here (`versions`).
   */
  private stamp(nodes: Iterable<EnvironmentModuleNode>, timestamp: number): void {
    const pending = new Set<EnvironmentModuleNode>()
    for (const page of this.pages.values()) for (const entry of page.values()) pending.add(entry.node)
    const apart = this.options.evaluate === 'function'
    const stamped = stampModules(this.env.moduleGraph, nodes, timestamp, (node) => pending.has(node), !apart)
    if (apart) for (const node of stamped) this.versions.set(node, timestamp)
  }

  /**
   * A new version the page imports as a module under its `?t=`: a changed file a swap carries (`via`),
   * which the new versions of its importers import. With `evaluate: 'module'` every stamp is one.
   */
  private stampForImport(node: EnvironmentModuleNode, timestamp: number): void {
    stampModules(this.env.moduleGraph, [node], timestamp, () => false, true)
  }

  /** Pending entries carry the version the page must fetch: the latest stamp of their module. */
  private refreshStamps(): void {
    for (const page of this.pages.values()) {
      for (const entry of page.values()) entry.info.t = this.versionOf(entry.node)
    }
  }

  private versionOf(node: EnvironmentModuleNode): number {
    return Math.max(this.versions.get(node) ?? 0, node.lastHMRTimestamp)
  }

  private isProjectFile(file: string): boolean {
    return file.startsWith(`${this.env.config.root}/`) && !file.includes('/node_modules/')
  }

  private async check(node: EnvironmentModuleNode, id: string): Promise<void> {
    // The version checked here is the one a swap will import: transform it as pending (with its gate).
    if (node.file) this.checking.add(node.file)
    try {
      await this.env.transformRequest(node.url)
      this.problems.delete(id)
    } catch (error) {
      const problem = problemOf(error, id, this.env.config.root)
      this.problems.set(id, problem)
      this.viteLogger.warn(`[hotclass] ${formatLocation(problem)}: ${problem.message}`, { timestamp: true })
    } finally {
      if (node.file) this.checking.delete(node.file)
    }
  }

  /**
   * A file that is swappable again no longer needs its importers re-run: they leave the pending set
   * unless they were saved themselves.
   */
  private dropVia(id: string): void {
    for (const [client, page] of this.pages) {
      let changed = false
      for (const [pendingId, entry] of page) {
        if (pendingId === id || !entry.info.via.includes(id)) continue
        entry.info.via = entry.info.via.filter((v) => v !== id)
        if (entry.info.via.length === 0 && !entry.self) page.delete(pendingId)
        changed = true
      }
      if (changed) this.send(client)
    }
  }

  private track(page: Map<string, Tracked>, node: EnvironmentModuleNode, mtime: number, via?: string): void {
    const id = toId(node.file!, this.env.config.root)
    const previous = page.get(id)
    const viaList = new Set(previous?.info.via)
    if (via) viaList.add(via)
    const self = (previous?.self ?? false) || via === undefined
    page.set(id, { node, self, info: { url: node.url, id, t: this.versionOf(node), mtime, via: [...viaList] } })
  }

  /**
   * Queue a re-stamp of ids pending for this page. Requests arriving in the same tick, or while a
   * re-stamp runs, are merged into the next one, and only ids the page really has pending count: a
   * flood of requests (300 in a row) costs a couple of re-transforms of the pending modules, not 300.
   */
  private requestRestamp(client: NormalizedHotChannelClient, ids: readonly string[]): void {
    const page = this.pages.get(client)
    if (!page) return
    let wanted = this.restampWanted.get(client)
    for (const id of ids) {
      if (!page.has(id)) continue
      wanted ??= new Set()
      wanted.add(id)
    }
    if (!wanted) return
    this.restampWanted.set(client, wanted)
    if (this.restampScheduled) return
    this.restampScheduled = true
    this.restamping = this.restamping.then(async () => {
      // A macrotask later, so requests from the socket's next frames join this one.
      await new Promise((resolve) => setTimeout(resolve, 0))
      this.restampScheduled = false
      const merged = new Set<string>()
      for (const [asker, set] of this.restampWanted) if (this.pages.has(asker)) for (const id of set) merged.add(id)
      this.restampWanted.clear()
      await this.restamp(merged).catch((error: unknown) => log('re-stamp failed: %O', error))
    })
  }

  /** Give the listed modules (and the non-swappable files they carry) new timestamps after a failed swap. */
  private async restamp(ids: ReadonlySet<string>): Promise<void> {
    if (ids.size === 0) return
    const stamp = (this.lastStamp = Math.max(Date.now(), this.lastStamp + 1))
    const root = this.env.config.root
    const nodes = new Map<EnvironmentModuleNode, string>()
    for (const page of this.pages.values()) {
      for (const id of ids) {
        const entry = page.get(id)
        if (!entry) continue
        for (const viaId of entry.info.via) {
          for (const mod of this.env.moduleGraph.getModulesByFile(`${root}/${viaId}`) ?? []) nodes.set(mod, viaId)
        }
        nodes.set(entry.node, id)
      }
    }
    // What a swap carries (`via`) is imported as a module under its new stamp; the rest as it is pending.
    for (const [node, id] of nodes) {
      if (ids.has(id)) this.stamp([node], stamp)
      else this.stampForImport(node, stamp)
    }
    for (const [node, id] of nodes) await this.check(node, id)
    this.refreshStamps()
    this.broadcast()
  }

  /** A page could not load a module: say it in the terminal, and in the page where the page cannot. */
  private loadFailed(data: unknown, client: NormalizedHotChannelClient): void {
    const error = parseLoadError(data)
    if (!error) {
      log('dropped a malformed %s message', LOAD_ERROR_EVENT)
      return
    }
    const problem = loadProblem(error, (url) => this.idOfUrl(url))
    const what = error.swap ? 'a swap could not load' : 'the page could not load'
    this.viteLogger.error(`[hotclass] ${what} ${formatLocation(problem)}: ${problem.message}`, { timestamp: true })
    if (error.swap) return
    this.problems.set(problem.id, problem)
    this.loadProblems.add(problem.id)
    this.broadcast()
    // The hotclass client may be down with the rest of the page: Vite's overlay shows it regardless.
    client.send({
      type: 'error',
      err: {
        message: `[hotclass] ${what} ${formatLocation(problem)}: ${problem.message}`,
        stack: '',
        id: problem.file,
        plugin: 'hotclass',
        ...(problem.line !== undefined && {
          loc: { file: problem.file, line: problem.line, column: problem.column ?? 0 },
        }),
      },
    })
  }

  /** The root-relative id of a URL the page names (origin and Vite's `base` removed). */
  private idOfUrl(url: string): string {
    let path = url
    try {
      path = decodeURI(new URL(url, 'http://localhost/').pathname)
    } catch {
      // not a URL: use it as it is
    }
    const base = this.env.config.base
    return path.startsWith(base) ? path.slice(base.length) : path.replace(/^\//, '')
  }

  private fallback(message: FallbackMessage): void {
    this.viteLogger.warn(
      `[hotclass] ${message.id} was not swapped in place: ${message.reason}; ${message.action === 'hmr' ? "Vite's HMR handles it" : 'reloading the page'}`,
      { timestamp: true },
    )
    for (const client of this.pages.keys()) client.send(message.type, message)
  }

  /** Whether a page waits for this file's new version: its next transform is served with a gate. */
  isPending(file: string): boolean {
    if (this.checking.has(file)) return true
    const id = toId(file, this.env.config.root)
    for (const page of this.pages.values()) if (page.has(id)) return true
    return false
  }

  private state(client: NormalizedHotChannelClient): StateMessage {
    const page = this.pages.get(client) ?? new Map<string, Tracked>()
    const byNode = new Map([...page.values()].map((t) => [t.node, t]))
    const ordered = dependencyOrder([...byNode.keys()], projectImports)
    const reached = reachedAmong(ordered, projectImports)
    const gated = this.options.mode === 'probe'
    const pending = ordered.map((node) => ({
      ...byNode.get(node)!.info,
      needs: reached.get(node)!.map((r) => byNode.get(r)!.info.id),
      ...(gated && { gated }),
    }))
    return {
      type: 'hotclass:state',
      mode: this.options.mode,
      key: this.options.key,
      overlay: this.options.overlay,
      evaluate: this.options.evaluate,
      pending,
      problems: [...this.problems.values()],
    }
  }

  private send(client: NormalizedHotChannelClient): void {
    const message = this.state(client)
    client.send(message.type, message)
  }

  private broadcast(): void {
    for (const client of this.pages.keys()) this.send(client)
  }
}
