/**
 * What changes when nestjs-apikit comes from a packed tarball (`--apikit`, before the package is on
 * the user's registry): the project keeps the tarball under `vendor/` and depends on
 * `file:./vendor/<file>`, so it installs, tests and builds its image anywhere, not only beside
 * the checkout it was packed in.
 */
export interface VendoredTarball {
  /** Its file name under the project's `vendor/`, e.g. `nestjs-apikit-0.1.0.tgz`. */
  fileName: string;
  content: Buffer;
}

/** The Dockerfile's line before each `npm ci`, and the README's word on the tarball. */
export function vendoredApikitParts(tarball: VendoredTarball | undefined): { copyVendoredApikit: string; vendorNote: string } {
  if (tarball === undefined) return { copyVendoredApikit: '# (nestjs-apikit comes from the registry: no vendor/ to copy)', vendorNote: '' };
  return {
    copyVendoredApikit: 'COPY vendor ./vendor',
    vendorNote: ` nestjs-apikit comes from \`vendor/${tarball.fileName}\`, which\nthe image copies before \`npm ci\`; once it is on your registry, \`npm install nestjs-apikit\` replaces it.`,
  };
}
