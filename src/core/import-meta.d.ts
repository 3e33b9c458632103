// What the core reads of `import.meta.env`, declared the way Vite's client types declare it, so the
// core typechecks in Node code without depending on Vite's types. A script file (no imports or
// exports), so these interfaces merge into the global ones.
interface ImportMetaEnv {
  readonly PROD: boolean
}
interface ImportMeta {
  readonly env: ImportMetaEnv
}
