import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const OUT_DIR = 'dist/web';

/**
 * Writes a .br and a .gz beside every text file of the build, at the strongest levels: the server
 * (@fastify/static, preCompressed) sends them as they are, so compression costs no CPU per request.
 */
function precompress(): Plugin {
  const compressible = /\.(js|css|html|svg|txt|json|webmanifest)$/;
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return {
    name: 'rapport-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of walk(OUT_DIR).filter((f) => compressible.test(f))) {
        const raw = readFileSync(file);
        // Below about one packet, compressing saves nothing worth a header.
        if (raw.length < 1024) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: 'src/web',
  plugins: [react(), precompress()],
  build: { outDir: `../../${OUT_DIR}`, emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:3000', '/dev': 'http://localhost:3000' } },
});
