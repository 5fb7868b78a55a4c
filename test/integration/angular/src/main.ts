// A new user's Angular app (standalone components, zoneless): the elements from
// the package, their types from its own declarations. No type for the elements is
// written here; `ng build` checks the templates with strictTemplates.
import {provideZonelessChangeDetection} from '@angular/core';
import {bootstrapApplication} from '@angular/platform-browser';
import {App} from './app';

bootstrapApplication(App, {providers: [provideZonelessChangeDetection()]}).catch(
  (error: unknown) => console.error(error),
);
