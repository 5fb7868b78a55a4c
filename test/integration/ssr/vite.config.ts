import {defineConfig} from 'vite';

// The client only: the server renders the page and serves build/client/ at /client/.
export default defineConfig({
  base: '/client/',
  build: {
    outDir: 'build/client',
    rollupOptions: {
      input: 'src/client.ts',
      output: {entryFileNames: 'client.js'},
    },
  },
});
