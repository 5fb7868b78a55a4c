import {defineConfig} from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [
    vue({
      template: {
        // <otp-step> and <otp-input> are custom elements, not Vue components.
        compilerOptions: {isCustomElement: (tag) => tag.startsWith('otp-')},
      },
    }),
  ],
});
