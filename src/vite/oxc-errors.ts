/** What Oxc's parser and transformer both report. */
interface OxcError {
  message: string
  labels: ReadonlyArray<{ start: number }>
  codeframe: string | null
}

/**
 * An Oxc parse or transform error in the shape Vite 8 throws for its own Oxc pass: the code frame (which
 * names `file:line:column`) in the message, and each error's location in `errors`. The core reads the
 * location from the message, the dev server's problem list from `errors`, so a broken edit is reported
 * the same whether Vite or hotclass compiled the module.
 */
export function oxcError(what: 'Parse' | 'Transform', file: string, code: string, errors: readonly OxcError[]): Error {
  const list = errors.map((e) => {
    const at = e.labels[0]?.start ?? 0
    const lines = code.slice(0, at).split('\n')
    return {
      message: `${e.message}${e.codeframe ? `\n${e.codeframe}` : ''}`,
      loc: { file, line: lines.length, column: lines.at(-1)!.length },
    }
  })
  const summary = `${what} failed with ${list.length} error${list.length === 1 ? '' : 's'}:\n\n${list.map((e) => e.message).join('\n')}`
  return Object.assign(new SyntaxError(summary), { id: file, errors: list })
}
