/**
 * Imported first by every module that loads Prism at run time, for its effect: Prism's response generator
 * (prism-http/dist/mocker/generator/JSONSchema.js) requires `@faker-js/faker`, whose main entry builds one Faker
 * over all 58 of its locales, about 0.6 s of loading and most of `mock`'s start-up (measured with
 * `node --cpu-prof`). Prism only hands that instance, English by default, to json-schema-faker. So before Prism
 * loads, the main entry's place in the require cache is taken by faker's English-only entry
 * (`@faker-js/faker/locale/en`: the same Faker class, the same default locale and fallback), for about a tenth
 * of the cost. `src/e2e/startup-modules.test.ts` checks that the other locales stay unloaded.
 */
import Module, { createRequire } from 'node:module';

const fromPrism = createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-http'));
const main = fromPrism.resolve('@faker-js/faker');
if (fromPrism.cache[main] === undefined) {
  const faker = fromPrism('@faker-js/faker/locale/en') as { constructor: unknown };
  const standIn = new Module(main);
  standIn.filename = main;
  // The main entry's exports that Prism reads (`default`), and the same names beside it.
  standIn.exports = { __esModule: true, default: faker, faker, Faker: faker.constructor };
  standIn.loaded = true;
  fromPrism.cache[main] = standIn;
}
