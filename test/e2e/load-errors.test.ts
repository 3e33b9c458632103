import { createLogger } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { enemyTs, indexHtml, mainTs, startFixture } from './probe-harness.ts'
import type { Fixture } from './probe-harness.ts'
import { useChromium } from './chromium.ts'

/**
 * A module graph the browser refuses takes the hotclass client down with it, and before this the
 * only trace was the browser console. The page's own listener reports it: the terminal prints it with
 * the fix, and Vite's overlay shows it in the page.
 */

const browser = useChromium()

describe('a game module the browser refuses to link', () => {
  let fx: Fixture
  const errors: string[] = []
  beforeAll(async () => {
    const logger = createLogger('silent')
    logger.error = (message) => void errors.push(message)
    fx = await startFixture(
      'load-error',
      {
        'index.html': indexHtml,
        'main.ts': mainTs(),
        'utils.ts': 'export type Match3Type = "red" | "blue"\n',
        // What the game did: a type imported by name, used as a value by the compiled code.
        'Enemy.ts': enemyTs('v1', "import { Match3Type } from './utils.ts'\nconsole.log(Match3Type)"),
      },
      {},
      { customLogger: logger, logLevel: 'error' },
    )
  })
  afterAll(async () => {
    await fx?.close()
  })

  test('is printed in the terminal with the fix, and shown in the page by the overlay', async () => {
    const page = await browser().newPage()
    try {
      await page.goto(fx.url)
      const overlay = page.locator('vite-error-overlay')
      await overlay.waitFor({ state: 'attached', timeout: 10_000 })
      const said = errors.find((e) => e.includes('[hotclass] the page could not load'))
      expect(said).toMatch(/Enemy\.ts(:\d+){0,2}: .*does not provide an export named 'Match3Type'/)
      expect(said).toContain('import type { Match3Type }')
      expect(await overlay.evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain("export named 'Match3Type'")
    } finally {
      await page.close()
    }
  })
})
