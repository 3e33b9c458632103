import { chromium } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'

/**
 * Debian's Chromium (`apt-get install chromium`; Playwright's own download cannot work here) with
 * software WebGL (swiftshader), so pixi renders with WebGL as on a desktop. The networking flags keep
 * it from reaching out at start-up on a machine with no network.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
    ],
  })
}

/**
 * One Chromium for a whole test file: launched before its tests, closed after them. Returns a getter,
 * since the browser exists only once `beforeAll` has run.
 */
export function useChromium(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (!browser) throw new Error('useChromium(): the browser is launched in beforeAll; use it inside tests and hooks')
    return browser
  }
}
