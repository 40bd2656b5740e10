// Debian's chromium (apt-get install chromium), driven by playwright-core: no browser download.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new Error(
      `no Chromium at ${candidates.join(", ")}: apt-get install chromium, or set CHROMIUM_PATH`,
    );
  return found;
}

// Playwright already passes --no-sandbox, --disable-background-networking and the like; these
// keep Chromium off the GPU, off QUIC and off /dev/shm, which a CI sandbox may keep small.
const args = ["--disable-gpu", "--disable-quic", "--disable-dev-shm-usage"];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args });
}
