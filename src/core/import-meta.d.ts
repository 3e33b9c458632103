// What the core reads of `import.meta.env`, declared the way Vite's client types declare it, so the
// core typechecks in Node code without depending on Vite's types.
export {}

declare global {
  interface ImportMetaEnv {
    readonly PROD: boolean
  }
  interface ImportMeta {
    readonly env: ImportMetaEnv
  }
}
