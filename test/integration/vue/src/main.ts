// A new user's Vue 3 app: the elements from the package, their template types
// from otp-step/types/vue. No type for the elements is written here.
import {createApp} from 'vue';
import 'otp-step';
import 'otp-step/input';
import type {} from 'otp-step/types/vue';
import App from './App.vue';

createApp(App).mount('#app');
