/**
 * Controller types that read a model file (the scenario's `controller.model`), with the
 * extensions they take; `--controller FILE` is accepted only for these.
 */
export const modelFileTypes: Readonly<Record<string, readonly string[]>> = {
  fuzzy: ['.fll', '.fis', '.fcl'],
  anfis: ['.fis', '.fll'],
};
