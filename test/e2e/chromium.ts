import { chromium } from 'playwright-core'
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
